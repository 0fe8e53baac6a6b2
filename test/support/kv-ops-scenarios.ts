import { SEED_USERS } from "../clerk-emulator/emulator";
import { APP_ORIGIN, type AppHarness } from "./app-harness";
import { SESSION_SECRET } from "./bindings";
import { startClerkApp } from "./clerk-app";
import { CookieJar } from "./cookie-jar";
import type { KvOps } from "./kv-ops-counter";
import { plantSession } from "./session-fixture";

/** The request types whose KV cost the fast test pins and the benchmark reports. */
export const KV_SCENARIOS = {
  signedOutView: "signed-out page view: GET /",
  signedInPrivate: "signed-in page view: GET /private",
  signedInHome: "signed-in page view: GET /",
  signedInNavigation: "signed-in client navigation: GET /private.data",
  login: "start sign-in, signed out: GET /login",
  callback: "sign-in callback, fresh browser",
  callbackAfterPreLoginSession: "sign-in callback with a pre-login session cookie",
  signOut: "sign-out: POST /logout",
  tokenRefresh: "token refresh: GET /api/userinfo",
} as const;

export type KvScenario = keyof typeof KV_SCENARIOS;

/** Enough of a browser for a sign-in: the Miniflare harness and plain HTTP both fit. */
export type AppFetch = Pick<AppHarness, "fetch">;

/** Short enough that the first `getToken()` refreshes (the app refreshes within 60 s of expiry). */
const SHORT_ACCESS_TOKEN_TTL_SECONDS = 30;
const CLERK_TIMEOUT_MS = 10_000;

/**
 * Signs in as a browser does: GET /login, approve at the emulator's consent form, follow the
 * redirect to the callback. `beforeCallback` runs just before the callback request, so a caller
 * can count that request alone. Returns the app's answer to the callback.
 */
export async function signIn(
  app: AppFetch,
  jar: CookieJar,
  {
    userId = SEED_USERS[0]?.id ?? "",
    beforeCallback,
  }: { userId?: string; beforeCallback?: () => Promise<void> } = {},
): Promise<Response> {
  const login = await app.fetch("/login", { jar });
  await login.arrayBuffer();
  const authorize = new URL(login.headers.get("Location") ?? "");
  if (login.status !== 302 || !authorize.pathname.endsWith("/oauth/authorize")) {
    throw new Error(`GET /login answered ${login.status} ${authorize}, not a redirect to Clerk`);
  }
  const form = new URLSearchParams(authorize.searchParams);
  form.set("user_id", userId);
  const consent = await fetch(new URL("/oauth/authorize", authorize.origin), {
    method: "POST",
    body: form,
    redirect: "manual",
    signal: AbortSignal.timeout(CLERK_TIMEOUT_MS),
  });
  await consent.arrayBuffer();
  const back = new URL(consent.headers.get("Location") ?? "");
  if (consent.status !== 302 || !back.searchParams.has("code")) {
    throw new Error(`The emulator's consent answered ${consent.status} ${back}, not a code`);
  }
  await beforeCallback?.();
  return app.fetch(back.pathname + back.search, { jar });
}

/**
 * Runs each request type once against the counting bundle in workerd, wired to the Clerk emulator,
 * and returns the KV calls each made. Throws when a request did not do what its scenario describes
 * (wrong status, no refresh), because its count would then measure something else.
 */
export async function measureKvOpsPerRequest(): Promise<Record<KvScenario, KvOps>> {
  const env = await startClerkApp({ bundle: "counting" });
  const { app } = env;
  const counts: Partial<Record<KvScenario, KvOps>> = {};

  async function measure(
    scenario: KvScenario,
    send: () => Promise<Response>,
    expectedStatus: number,
  ): Promise<Response> {
    await app.resetKvOps();
    const response = await send();
    await response.arrayBuffer();
    counts[scenario] = await app.kvOps();
    if (response.status !== expectedStatus) {
      throw new Error(`${KV_SCENARIOS[scenario]}: ${response.status}, not ${expectedStatus}`);
    }
    return response;
  }

  try {
    await measure("signedOutView", () => app.fetch("/"), 200);
    await measure("login", () => app.fetch("/login", { jar: new CookieJar() }), 302);

    const jar = new CookieJar();
    await measure("callback", () => signIn(app, jar, { beforeCallback: app.resetKvOps }), 302);
    await measure("signedInPrivate", () => app.fetch("/private", { jar }), 200);
    await measure("signedInHome", () => app.fetch("/", { jar }), 200);
    await measure("signedInNavigation", () => app.fetch("/private.data", { jar }), 200);
    await measure(
      "signOut",
      () => app.fetch("/logout", { method: "POST", jar, headers: { Origin: APP_ORIGIN } }),
      302,
    );

    // A pre-login id, as a fixation attacker would plant it: a record without a user.
    const kv = await app.kv();
    const planted = await plantSession(kv, SESSION_SECRET, { id: "5".repeat(32) });
    await kv.put(`session:${planted.id}`, JSON.stringify({ fixated: true }));
    const fixated = new CookieJar();
    fixated.set("__session", planted.value);
    await measure(
      "callbackAfterPreLoginSession",
      () => signIn(app, fixated, { beforeCallback: app.resetKvOps }),
      302,
    );

    env.clerk.emulator.configure({ accessTokenTtlSeconds: SHORT_ACCESS_TOKEN_TTL_SECONDS });
    const refreshing = new CookieJar();
    await signIn(app, refreshing);
    env.clerk.emulator.clearRequests();
    await measure("tokenRefresh", () => app.fetch("/api/userinfo", { jar: refreshing }), 200);
    const refreshed = env.clerk.emulator.requests.some(
      (request) => request.path === "/oauth/token" && request.form?.grant_type === "refresh_token",
    );
    if (!refreshed) throw new Error(`${KV_SCENARIOS.tokenRefresh}: Clerk saw no refresh`);
  } finally {
    await env.close();
  }
  return counts as Record<KvScenario, KvOps>;
}
