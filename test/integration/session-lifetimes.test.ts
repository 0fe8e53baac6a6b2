import { SEED_USERS } from "clerk-oauth-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_ORIGIN, ROOT_DATA } from "../support/app-harness";
import { SESSION_SECRET } from "../support/bindings";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar, parseSetCookie, setCookieFor } from "../support/cookie-jar";
import { hashOf, plantSession, sessionIdOf } from "../support/session-fixture";
import { signInThroughEmulator } from "../support/sign-in-flow";

// An hour's idle timeout inside a day's absolute lifetime: NIST SP 800-63B-4's AAL2 values.
const IDLE_SECONDS = 3600;
const MAX_AGE_SECONDS = 86_400;
const MINUTE = 60_000;
const COOKIE = "__session";

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp({
    bindings: {
      SESSION_IDLE_TIMEOUT: String(IDLE_SECONDS),
      SESSION_MAX_AGE: String(MAX_AGE_SECONDS),
    },
    bundle: "counting",
  });
});
afterAll(() => env.close());
beforeEach(async () => {
  env.clerk.emulator.reset();
  // Tokens that outlive every test: getToken reads the authority and never refreshes.
  env.clerk.emulator.configure({ accessTokenTtlSeconds: 7 * 86_400 });
  await env.app.resetClock();
});

async function signedIn(): Promise<{ jar: CookieJar; idHash: string }> {
  const jar = new CookieJar();
  const { callback } = await signInThroughEmulator(env.app, jar);
  expect(callback.status).toBe(302);
  return { jar, idHash: await hashOf(sessionIdOf(jar.get(COOKIE) ?? "")) };
}

async function row(idHash: string) {
  return (await env.app.db())
    .prepare("SELECT ended_at, ended_reason, last_active_at FROM sessions WHERE id_hash = ?")
    .bind(idHash)
    .first<{ ended_at: number | null; ended_reason: string | null; last_active_at: number }>();
}

const view = (jar: CookieJar, path = "/private") => env.app.fetch(path, { jar });

describe("the idle timeout (SESSION_IDLE_TIMEOUT)", () => {
  it.each([
    ["a page view", (jar: CookieJar) => view(jar)],
    ["a .data request", (jar: CookieJar) => view(jar, "/private.data")],
    [
      "an action",
      (jar: CookieJar) =>
        env.app.fetch("/account/sessions", {
          method: "POST",
          jar,
          headers: { Origin: APP_ORIGIN },
          body: new URLSearchParams({ intent: "revoke-other-sessions" }),
        }),
    ],
    ["getToken()", (jar: CookieJar) => view(jar, "/api/userinfo")],
  ])(
    "a session idle past the timeout is signed out on %s, and its row is ended",
    async (_, request) => {
      const { jar, idHash } = await signedIn();
      await env.app.advanceClock(IDLE_SECONDS * 1000 + 1000);
      const response = await request(jar);
      await response.arrayBuffer();
      expect(response.status).not.toBe(200);
      expect(jar.get(COOKIE)).toBeUndefined();
      expect(await row(idHash)).toMatchObject({ ended_reason: "idle_timeout" });
      expect(await (await env.app.kv()).get(`session:${idHash}`)).toBeNull();
      expect((await view(jar)).status).toBe(302);
    },
  );

  it("an idle session reads as signed out on the root loader's data too", async () => {
    const { jar, idHash } = await signedIn();
    await env.app.advanceClock(IDLE_SECONDS * 1000 + 1000);
    const response = await view(jar, ROOT_DATA);
    expect(await response.text()).not.toContain(SEED_USERS[0]?.id);
    expect(jar.get(COOKIE)).toBeUndefined();
    expect(await row(idHash)).toMatchObject({ ended_reason: "idle_timeout" });
  });

  it("views within the window keep it alive for hours with no KV write and no D1 query, re-stamping the cookie at most once per tenth of the window", async () => {
    const { jar, idHash } = await signedIn();
    await env.app.resetOps();
    const views = 60;
    let stamps = 0;
    for (let i = 0; i < views; i++) {
      await env.app.advanceClock(2 * MINUTE);
      const response = await view(jar);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      const cookie = setCookieFor(response, COOKIE);
      if (cookie) {
        stamps += 1;
        expect(Number(parseSetCookie(cookie).attributes.get("max-age"))).toBeLessThanOrEqual(
          MAX_AGE_SECONDS,
        );
      }
    }
    // Two hours of views, past the one-hour window; a stamp every third view (6 minutes).
    expect(stamps).toBe(views / 3);
    const ops = await env.app.ops();
    expect(ops.kv).toMatchObject({ get: views, put: 0, delete: 0 });
    expect(ops.d1.statements).toBe(0);
    expect(await row(idHash)).toMatchObject({ ended_at: null });
  });

  it("actions and token uses keep it alive, telling the authority at most once per tenth of the window", async () => {
    const { jar, idHash } = await signedIn();
    const signedInAt = (await row(idHash))?.last_active_at ?? 0;
    await env.app.resetOps();
    const calls = 30;
    for (let i = 0; i < calls; i++) {
      await env.app.advanceClock(2 * MINUTE);
      const response = await view(jar, "/api/userinfo");
      await response.arrayBuffer();
      expect(response.status).toBe(200);
    }
    const ops = await env.app.ops();
    expect(ops.kv).toMatchObject({ put: 0, delete: 0 });
    // One read per call, and one write per 6 minutes of the hour: 10 in all.
    expect(ops.d1.rowsWritten).toBe(10);
    expect(ops.d1.statements).toBe(calls + 10);
    expect((await row(idHash))?.last_active_at).toBeGreaterThan(signedInAt + 50 * MINUTE);
    // The device list shows that record as "last active".
    const list = await (await view(jar, "/account/sessions")).text();
    expect(list).toContain("last active");
  });

  it("a session signed in before the stamp existed is judged by the authority, then stamped", async () => {
    const planted = await plantSession(env.app, SESSION_SECRET, {
      id: "5e5510ef5e5510ef5e5510ef5e5510ef",
    });
    // The fixture's session lives an hour; this one must outlive the idle window.
    const expiresAt = Date.now() + MAX_AGE_SECONDS * 1000;
    await (await env.app.db())
      .prepare("UPDATE sessions SET expires_at = ? WHERE id_hash = ?")
      .bind(expiresAt, planted.idHash)
      .run();
    const copy = JSON.parse((await (await env.app.kv()).get(`session:${planted.idHash}`)) ?? "{}");
    await (await env.app.kv()).put(
      `session:${planted.idHash}`,
      JSON.stringify({ ...copy, expiresAt }),
    );
    const jar = new CookieJar();
    jar.set(COOKIE, planted.value);
    const first = await view(jar);
    expect(first.status).toBe(200);
    expect(setCookieFor(first, COOKIE)).toBeDefined();
    expect(jar.get(COOKIE)).not.toBe(planted.value);
    // Replaying the old cookie after the window: the authority's record says idle.
    const old = new CookieJar();
    old.set(COOKIE, planted.value);
    await env.app.advanceClock(IDLE_SECONDS * 1000 + 1000);
    expect((await view(old)).status).toBe(302);
    expect(await row(planted.idHash)).toMatchObject({ ended_reason: "idle_timeout" });
  });
});

describe("the absolute lifetime (SESSION_MAX_AGE)", () => {
  it("the cookie lives SESSION_MAX_AGE from sign-in", async () => {
    const jar = new CookieJar();
    const { callback } = await signInThroughEmulator(env.app, jar);
    const cookie = parseSetCookie(setCookieFor(callback, COOKIE) ?? "");
    expect(cookie.attributes.get("max-age")).toBe(String(MAX_AGE_SECONDS));
  });

  it("ends a busy session once SESSION_MAX_AGE has passed since sign-in", async () => {
    const { jar } = await signedIn();
    for (let minutes = 0; minutes < 23 * 60; minutes += 50) {
      await env.app.advanceClock(50 * MINUTE);
      expect((await view(jar)).status).toBe(200);
    }
    await env.app.advanceClock(55 * MINUTE);
    expect((await view(jar)).status).toBe(302);
    expect((await view(jar, "/api/userinfo")).status).toBe(401);
  });
});
