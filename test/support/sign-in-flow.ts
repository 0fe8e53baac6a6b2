import { SEED_USERS } from "clerk-oauth-emulator";
import type { AppHarness } from "./app-harness";
import type { CookieJar } from "./cookie-jar";

/** Enough of a browser for a sign-in: the Miniflare harness and plain HTTP to a server both fit. */
export type AppFetch = Pick<AppHarness, "fetch">;

export interface SignInSteps {
  /** The app's answer to GET /login: a 302 to Clerk's authorize endpoint. */
  login: Response;
  /** Where the emulator sent the browser back to: the callback URL with code and state. */
  callbackUrl: URL;
  /** The app's answer to the callback. */
  callback: Response;
}

const CLERK_TIMEOUT_MS = 10_000;

/**
 * Signs in the way a browser does: GET /login on the app, submit the emulator's sign-in form over
 * real HTTP (approve as `userId`, or deny), then follow the redirect back to the app's callback.
 * Throws when /login or the emulator does not redirect as a sign-in should; the callback's answer
 * is returned for the caller to judge. Needs no test runner, so benchmarks use it too.
 */
export async function signInThroughEmulator(
  app: AppFetch,
  jar: CookieJar,
  {
    redirectTo,
    userId,
    orgId,
    decision = "approve",
    headers,
    beforeCallback,
  }: {
    redirectTo?: string;
    userId?: string;
    /** The organization picked on the consent screen (with the `user:org:read` scope). */
    orgId?: string;
    decision?: "approve" | "deny";
    /** Sent to the app with /login and the callback, e.g. a browser's User-Agent. */
    headers?: HeadersInit;
    /** Runs just before the callback request, e.g. to count that request alone. */
    beforeCallback?: () => Promise<void> | void;
  } = {},
): Promise<SignInSteps> {
  const loginPath =
    redirectTo === undefined ? "/login" : `/login?${new URLSearchParams({ redirectTo })}`;
  const login = await app.fetch(loginPath, { jar, headers });
  await login.arrayBuffer();
  const authorizeUrl = new URL(login.headers.get("Location") ?? "", "http://no-location.invalid");
  if (login.status !== 302 || !authorizeUrl.pathname.endsWith("/oauth/authorize")) {
    throw new Error(
      `GET ${loginPath} answered ${login.status} ${authorizeUrl}, not Clerk's authorize`,
    );
  }
  const form = new URLSearchParams(authorizeUrl.searchParams);
  if (decision === "deny") form.set("decision", "deny");
  else form.set("user_id", userId ?? SEED_USERS[0]?.id ?? "");
  if (orgId !== undefined) form.set("org_id", orgId);
  const consent = await fetch(new URL("/oauth/authorize", authorizeUrl.origin), {
    method: "POST",
    body: form,
    redirect: "manual",
    signal: AbortSignal.timeout(CLERK_TIMEOUT_MS),
  });
  await consent.arrayBuffer();
  if (consent.status !== 302) {
    throw new Error(`The emulator's sign-in form answered ${consent.status}, not a redirect`);
  }
  const callbackUrl = new URL(consent.headers.get("Location") ?? "");
  await beforeCallback?.();
  const callback = await app.fetch(callbackUrl.pathname + callbackUrl.search, { jar, headers });
  return { login, callbackUrl, callback };
}
