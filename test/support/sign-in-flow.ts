import { expect } from "vitest";
import { SEED_USERS } from "../clerk-emulator/emulator";
import type { AppHarness } from "./app-harness";
import type { CookieJar } from "./cookie-jar";

export interface SignInSteps {
  /** The app's answer to GET /login: a 302 to Clerk's authorize endpoint. */
  login: Response;
  /** Where the emulator sent the browser back to: the callback URL with code and state. */
  callbackUrl: URL;
  /** The app's answer to the callback. */
  callback: Response;
}

/**
 * Signs in the way a browser does: GET /login on the app, submit the emulator's sign-in form over
 * real HTTP (approve as `userId`, or deny), then follow the redirect back to the app's callback.
 */
export async function signInThroughEmulator(
  app: AppHarness,
  jar: CookieJar,
  {
    redirectTo,
    userId,
    decision = "approve",
    headers,
  }: {
    redirectTo?: string;
    userId?: string;
    decision?: "approve" | "deny";
    /** Sent to the app with /login and the callback, e.g. a browser's User-Agent. */
    headers?: HeadersInit;
  } = {},
): Promise<SignInSteps> {
  const loginPath =
    redirectTo === undefined ? "/login" : `/login?${new URLSearchParams({ redirectTo })}`;
  const login = await app.fetch(loginPath, { jar, headers });
  expect(login.status).toBe(302);
  const authorizeUrl = new URL(login.headers.get("Location") ?? "");
  const form = new URLSearchParams(authorizeUrl.searchParams);
  if (decision === "deny") form.set("decision", "deny");
  else form.set("user_id", userId ?? SEED_USERS[0]?.id ?? "");
  const consent = await fetch(new URL("/oauth/authorize", authorizeUrl.origin), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  expect(consent.status).toBe(302);
  const callbackUrl = new URL(consent.headers.get("Location") ?? "");
  const callback = await app.fetch(callbackUrl.pathname + callbackUrl.search, { jar, headers });
  return { login, callbackUrl, callback };
}
