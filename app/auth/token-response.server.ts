import type { ClerkTokens } from "~/auth/clerk-tokens";
import { isRecord } from "~/utils/is-record";

export type TokenResponseResult =
  | { ok: true; tokens: ClerkTokens }
  | { ok: false; problem: string };

export interface TokenResponseContext {
  /** Epoch ms when the response arrived; `expires_in` counts from here. */
  receivedAt: number;
  /** RFC 6749 §5.1: an omitted `scope` means the scope that was requested. */
  requestedScope: string[];
}

function optionalToken(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Narrows a successful token endpoint body (RFC 6749 §5.1) field by field. A problem names the
 * field that failed, never its value, so it is safe to log.
 */
export function parseTokenResponse(
  body: unknown,
  context: TokenResponseContext,
): TokenResponseResult {
  if (!isRecord(body)) return { ok: false, problem: "body is not a JSON object" };
  const { access_token, token_type, expires_in, scope, refresh_token, id_token } = body;
  if (typeof access_token !== "string" || access_token === "") {
    return { ok: false, problem: "access_token is missing" };
  }
  // §5.1 says token_type is case-insensitive; an older Clerk sample sends "bearer". An absent
  // token_type is read as Bearer (the only type Clerk issues); any other type is refused.
  if (
    token_type !== undefined &&
    (typeof token_type !== "string" || token_type.toLowerCase() !== "bearer")
  ) {
    return { ok: false, problem: "token_type is not Bearer" };
  }
  let expiresAt: number | null = null;
  if (expires_in !== undefined && expires_in !== null) {
    if (typeof expires_in !== "number" || !Number.isFinite(expires_in) || expires_in < 0) {
      return { ok: false, problem: "expires_in is not a non-negative number" };
    }
    expiresAt = context.receivedAt + expires_in * 1000;
  }
  if (scope !== undefined && scope !== null && typeof scope !== "string") {
    return { ok: false, problem: "scope is not a string" };
  }
  const refreshToken = optionalToken(refresh_token);
  const idToken = optionalToken(id_token);
  if (refreshToken === undefined) return { ok: false, problem: "refresh_token is not a string" };
  if (idToken === undefined) return { ok: false, problem: "id_token is not a string" };
  return {
    ok: true,
    tokens: {
      accessToken: access_token,
      refreshToken,
      expiresAt,
      scope: typeof scope === "string" ? scope.split(" ").filter(Boolean) : context.requestedScope,
      idToken,
    },
  };
}
