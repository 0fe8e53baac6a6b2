import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FLOW_COOKIE_PREFIX } from "clerk-edge-auth";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { SEED_USERS } from "clerk-oauth-emulator";
import { APP_ORIGIN, ROOT_DATA } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar, setCookieFor } from "../support/cookie-jar";
import { SESSION_SECRET } from "../support/bindings";
import { plantSession } from "../support/session-fixture";
import { type SignInSteps, signInThroughEmulator } from "../support/sign-in-flow";

const [ADA, GRACE] = SEED_USERS as [(typeof SEED_USERS)[0], (typeof SEED_USERS)[0]];
const SESSION = SESSION_COOKIE_NAME.http;

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp();
});
afterAll(() => env.close());
beforeEach(() => {
  env.clerk.emulator.reset();
  env.clerk.emulator.clearRequests();
});

async function sessionRecords(): Promise<string[]> {
  const kv = await env.app.kv();
  return (await kv.list({ prefix: "session:" })).keys.map((key) => key.name);
}

describe("signing in", () => {
  it("/private sends a signed-out visitor to /login with redirectTo", async () => {
    const response = await env.app.fetch("/private");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
  });

  it("/login redirects to Clerk's authorize endpoint with exactly the OAuth parameters", async () => {
    const jar = new CookieJar();
    const response = await env.app.fetch("/login?redirectTo=%2Fprofile&prompt=none&foo=bar", {
      jar,
    });
    const location = new URL(response.headers.get("Location") ?? "");
    expect(response.status).toBe(302);
    expect(location.origin + location.pathname).toBe(`${env.clerk.origin}/oauth/authorize`);
    const params = Object.fromEntries(location.searchParams);
    expect(Object.keys(params).sort()).toEqual(
      [
        "client_id",
        "code_challenge",
        "code_challenge_method",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
      ].sort(),
    );
    expect(params).toMatchObject({
      response_type: "code",
      client_id: "emulator_client_id",
      redirect_uri: `${APP_ORIGIN}/auth/clerk/callback`,
      scope: "openid profile email offline_access public_metadata",
      code_challenge_method: "S256",
    });
    expect(params.state?.length).toBeGreaterThanOrEqual(43);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers.get("Set-Cookie")).not.toContain(SESSION);
    const again = await env.app.fetch("/login");
    expect(new URL(again.headers.get("Location") ?? "").searchParams.get("state")).not.toBe(
      params.state,
    );
  });

  it("the whole flow: sign in, see /private from the session, sign out", async () => {
    const jar = new CookieJar();
    const before = await sessionRecords();
    const { callback } = await signInThroughEmulator(env.app, jar, {
      redirectTo: "/private",
      userId: ADA.id,
    });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("Location")).toBe("/private");
    expect(callback.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(callback.headers.get("Cache-Control")).toBe("no-store");
    const sessionCookie = setCookieFor(callback, SESSION) ?? "";
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).toMatch(/Path=\//);
    expect(sessionCookie).not.toMatch(/Domain=/i);
    expect(sessionCookie).toMatch(/Max-Age=\d+/);
    expect(jar.names().filter((name) => name.startsWith(FLOW_COOKIE_PREFIX))).toEqual([]);
    const created = (await sessionRecords()).filter((key) => !before.includes(key));
    expect(created).toHaveLength(1);

    env.clerk.emulator.clearRequests();
    const page = await env.app.fetch("/private", { jar });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(ADA.id);
    expect(html).toContain("ada@example.com");
    expect(page.headers.get("Cache-Control")).toBe("private, no-store");
    expect(env.clerk.emulator.requests).toEqual([]);

    const home = await (await env.app.fetch("/", { jar })).text();
    expect(home).toContain("Ada Lovelace");
    expect(home).not.toContain('href="/login');

    const row = await (await env.app.db())
      .prepare("SELECT access_token, refresh_token FROM sessions WHERE ended_at IS NULL")
      .first<{ access_token: string; refresh_token: string }>();
    // Sealed at rest (tokens-at-rest.test.ts); what Clerk issued (oat_…, ort_…) is sent nowhere.
    expect(row?.access_token).toMatch(/^sealed:v1:/);
    for (const path of ["/", "/private", "/private.data", ROOT_DATA]) {
      const body = await (await env.app.fetch(path, { jar })).text();
      expect(body).not.toMatch(/oat_|ort_|sealed:v1:/);
    }

    const logout = await env.app.fetch("/logout", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN },
    });
    expect(logout.status).toBe(302);
    expect(logout.headers.get("Location")).toBe("/");
    expect(setCookieFor(logout, SESSION)).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await sessionRecords()).not.toContain(created[0]);
    expect((await env.app.fetch("/private", { jar })).status).toBe(302);
  });

  it.each([
    ["/profile?tab=name", "/profile?tab=name"],
    ["/private#top", "/private#top"],
    ["//evil.example/steal", "/private"],
    ["/\\evil.example", "/private"],
    ["https://evil.example/", "/private"],
    ["/%2F%2Fevil.example", "/private"],
    ["javascript:alert(1)", "/private"],
    ["/\tevil", "/private"],
  ])("redirectTo %s lands on %s after sign-in", async (redirectTo, expected) => {
    const { callback } = await signInThroughEmulator(env.app, new CookieJar(), { redirectTo });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("Location")).toBe(expected);
  });

  it("a signed-in visit to /login goes straight to redirectTo, without a new sign-in", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    const safe = await env.app.fetch("/login?redirectTo=%2Fprofile", { jar });
    expect(safe.status).toBe(302);
    expect(safe.headers.get("Location")).toBe("/profile");
    const unsafe = await env.app.fetch("/login?redirectTo=%2F%2Fevil.example", { jar });
    expect(unsafe.headers.get("Location")).toBe("/private");
  });

  it("signing in replaces a pre-login session id with a new one and ends the old session", async () => {
    const kv = await env.app.kv();
    // A fixated id: a live session whose cookie an attacker planted in the victim's browser after
    // the sign-in started; the victim's sign-in must not adopt it.
    const planted = await plantSession(env.app, SESSION_SECRET, {
      id: "44444444444444444444444444444444",
    });
    const jar = new CookieJar();
    const { callback } = await signInThroughEmulator(env.app, jar, {
      userId: GRACE.id,
      beforeCallback: () => jar.set(SESSION, planted.value),
    });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("Location")).toBe("/private");
    expect(jar.get(SESSION)).not.toBe(planted.value);
    expect(await kv.get(`session:${planted.idHash}`)).toBeNull();
    const old = await (await env.app.db())
      .prepare("SELECT ended_reason FROM sessions WHERE id_hash = ?")
      .bind(planted.idHash)
      .first<{ ended_reason: string }>();
    expect(old?.ended_reason).toBe("replaced");
    expect(await (await env.app.fetch("/private", { jar })).text()).toContain(GRACE.id);
  });

  it("a successful sign-in expires every pending attempt: an older attempt's callback then fails and the session stays", async () => {
    const jar = new CookieJar();
    // The first attempt is approved at Clerk; before its callback, a second one runs to the end.
    let second: SignInSteps | undefined;
    const first = await signInThroughEmulator(env.app, jar, {
      redirectTo: "/private",
      userId: ADA.id,
      beforeCallback: async () => {
        second = await signInThroughEmulator(env.app, jar, {
          redirectTo: "/profile",
          userId: ADA.id,
        });
      },
    });
    expect(second?.callback.headers.get("Location")).toBe("/profile");
    expect(first.callback.headers.get("Location")).toBe("/auth/error?code=missing_flow_cookie");
    expect(setCookieFor(first.callback, SESSION)).toBeUndefined();
    expect(await (await env.app.fetch("/private", { jar })).text()).toContain(ADA.id);
  });
});

describe("signing out", () => {
  it("revokes the refresh token at Clerk in the background", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    env.clerk.emulator.clearRequests();
    await env.app.fetch("/logout", { method: "POST", jar, headers: { Origin: APP_ORIGIN } });
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (env.clerk.emulator.requests.some((r) => r.path === "/oauth/token/revoke")) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const revoke = env.clerk.emulator.requests.find((r) => r.path === "/oauth/token/revoke");
    expect(revoke?.form?.token_type_hint).toBe("refresh_token");
    expect(revoke?.headers.authorization).toMatch(/^Basic/);
  });

  it("an old cookie replayed after sign-out reads as signed out", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    const cookie = jar.get(SESSION) ?? "";
    await env.app.fetch("/logout", { method: "POST", jar, headers: { Origin: APP_ORIGIN } });
    const replay = await env.app.fetch("/private", { headers: { Cookie: `${SESSION}=${cookie}` } });
    expect(replay.status).toBe(302);
  });

  it("a cross-origin POST /logout is refused with 403 and the session survives", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    const refused = await env.app.fetch("/logout", {
      method: "POST",
      jar,
      headers: { Origin: "https://evil.example" },
    });
    expect(refused.status).toBe(403);
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });

  it("GET /logout redirects home and changes nothing", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    const response = await env.app.fetch("/logout", { jar });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });

  it.each([
    ["no cookie at all", ""],
    ["a dead session cookie", `${SESSION}=eyJ4Ijoi.bad`],
  ])("POST /logout with %s still expires the cookie and redirects home", async (_, cookie) => {
    const response = await env.app.fetch("/logout", {
      method: "POST",
      headers: cookie ? { Cookie: cookie } : {},
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(setCookieFor(response, SESSION)).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});
