/**
 * Why a sign-in, a token refresh or a revocation failed. Only this code travels in URLs; people
 * see the matching message.
 */
export type AuthErrorCode =
  | "missing_flow_cookie"
  | "state_mismatch"
  | "provider_denied"
  | "missing_code"
  | "token_exchange_failed"
  | "userinfo_failed"
  | "provider_unavailable"
  | "session_unavailable"
  | "invalid_grant"
  | "revocation_refused"
  | "unexpected";

/**
 * Text for the error page, one entry per code. It is fixed on purpose: nothing the provider
 * sends is ever shown, so a crafted error_description cannot put words on our page.
 */
export const authErrorMessages: Record<AuthErrorCode, { title: string; detail: string }> = {
  missing_flow_cookie: {
    title: "Your sign-in timed out",
    detail:
      "We could not find the sign-in you started in this browser. It may have taken longer than 10 minutes, or cookies may be blocked. Please start again.",
  },
  state_mismatch: {
    title: "This sign-in link is no longer valid",
    detail: "This sign-in link was already used or came from another window. Please start again.",
  },
  provider_denied: {
    title: "Sign-in was cancelled",
    detail: "Access was not granted, so you are not signed in. You can try again at any time.",
  },
  missing_code: {
    title: "Sign-in did not finish",
    detail: "The sign-in service sent you back without completing the sign-in. Please start again.",
  },
  token_exchange_failed: {
    title: "We could not complete your sign-in",
    detail: "The sign-in service did not accept this sign-in. Please start again.",
  },
  userinfo_failed: {
    title: "We could not load your account",
    detail: "You signed in, but we could not read your account details. Please try again.",
  },
  provider_unavailable: {
    title: "The sign-in service is not responding",
    detail: "The sign-in service is slow or unreachable right now. Please try again in a moment.",
  },
  session_unavailable: {
    title: "We could not check your sign-in",
    detail:
      "Our session store did not answer, so we cannot tell whether you are signed in. Please try again in a moment.",
  },
  invalid_grant: {
    title: "Your sign-in has expired",
    detail: "Your sign-in is no longer valid. Please sign in again.",
  },
  revocation_refused: {
    title: "Sign-out was not confirmed",
    detail:
      "You are signed out here, but the sign-in service did not confirm it. Sign in and out again to be sure.",
  },
  unexpected: {
    title: "Something went wrong",
    detail: "Something unexpected happened while signing you in. Please try again.",
  },
};

/** Narrows a value read from a URL (for example `?code=` on the error page) to a known code. */
export function isAuthErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === "string" && Object.hasOwn(authErrorMessages, value);
}

/**
 * A sign-in step failed in an expected way. The message holds only the code and our own fixed
 * title, never a secret, token, code or provider text; provider details, if any, are in `cause`
 * for logs.
 */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code: AuthErrorCode;
  override readonly cause: unknown;

  constructor(code: AuthErrorCode, options: { cause?: unknown } = {}) {
    super(`${code}: ${authErrorMessages[code].title}`);
    this.code = code;
    this.cause = options.cause;
  }
}

/** The code of an error as sign-in reports it: its own for an AuthError, `unexpected` otherwise. */
export function authErrorCodeOf(error: unknown): AuthErrorCode {
  return error instanceof AuthError ? error.code : "unexpected";
}
