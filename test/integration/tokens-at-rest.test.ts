import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { APP_ORIGIN, type AppHarness, startApp } from "../support/app-harness";
import { emulatorBindings, SESSION_SECRET } from "../support/bindings";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { FIXTURE_TOKENS, hashOf, plantSession, sessionIdOf } from "../support/session-fixture";
import { signInThroughEmulator } from "../support/sign-in-flow";

// Tokens that live 30 s are always inside the app's 60 s refresh margin: every getToken refreshes.
const SHORT_TTL_SECONDS = 30;
const COOKIE = "__session";
const NEWER_SECRET = "rotated-session-secret-0123456789abcdef";

let env: ClerkApp | undefined;
afterAll(() => env?.close());

async function start(secrets: string): Promise<ClerkApp> {
  await env?.close();
  env = await startClerkApp({ bindings: { SESSION_SECRET: secrets } });
  env.clerk.emulator.configure({ accessTokenTtlSeconds: SHORT_TTL_SECONDS });
  return env;
}

async function signedIn(app: ClerkApp): Promise<{ jar: CookieJar; idHash: string }> {
  const jar = new CookieJar();
  const { callback } = await signInThroughEmulator(app.app, jar);
  expect(callback.status).toBe(302);
  return { jar, idHash: await hashOf(sessionIdOf(jar.get(COOKIE) ?? "")) };
}

async function dump(app: ClerkApp): Promise<string> {
  const { results } = await (await app.app.db()).prepare("SELECT * FROM sessions").all();
  return JSON.stringify(results);
}

describe("tokens at rest in D1", () => {
  it("after a sign-in and a refresh, no token Clerk issued is in D1 in plain text", async () => {
    const app = await start(SESSION_SECRET);
    const { jar } = await signedIn(app);
    expect((await app.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    const refreshes = app.clerk.emulator.requests.filter(
      (r) => r.path === "/oauth/token" && r.form?.grant_type === "refresh_token",
    );
    expect(refreshes).toHaveLength(1);
    // The emulator's tokens: oat_… (access), ort_… (refresh), and a JWT (ID token). Sealed values
    // are random base64url, which can spell those prefixes by chance: look only outside them.
    const stored = await dump(app);
    for (const column of ["access_token", "refresh_token", "id_token"]) {
      expect(stored).toMatch(new RegExp(`"${column}":"sealed:v1:[A-Za-z0-9_-]+"`));
    }
    expect(stored.replace(/sealed:v1:[A-Za-z0-9_-]+/g, "sealed")).not.toMatch(/oat_|ort_|eyJ/);
  });

  it("a new first secret keeps the session: rows sealed under the old one still open, and refresh", async () => {
    const app = await start(SESSION_SECRET);
    const { jar, idHash } = await signedIn(app);
    const { results } = await (await app.app.db()).prepare("SELECT * FROM sessions").all();
    const { keys } = await (await app.app.kv()).list();
    const copy = await (await app.app.kv()).get(keys[0]?.name ?? "");
    // The same stores and the same Clerk, under the rotated configuration.
    const rotated = await startApp({
      ...emulatorBindings(app.clerk.origin),
      SESSION_SECRET: `${NEWER_SECRET},${SESSION_SECRET}`,
    });
    try {
      await restore(rotated, results, keys[0]?.name ?? "", copy ?? "");
      expect((await rotated.fetch("/private", { jar })).status).toBe(200);
      expect((await rotated.fetch("/api/userinfo", { jar })).status).toBe(200);
      const after = await (await rotated.db())
        .prepare("SELECT refresh_token, ended_at FROM sessions WHERE id_hash = ?")
        .bind(idHash)
        .first<{ refresh_token: string; ended_at: number | null }>();
      expect(after?.ended_at).toBeNull();
      // The refresh was stored, sealed again (under the new first secret).
      const before = (results[0] as { refresh_token: string }).refresh_token;
      expect(after?.refresh_token).toMatch(/^sealed:v1:/);
      expect(after?.refresh_token).not.toBe(before);
    } finally {
      await rotated.close();
    }
  });

  it("removing the secret that sealed a row signs its session out, and ends it", async () => {
    let app = await start(`${NEWER_SECRET},${SESSION_SECRET}`);
    const { jar, idHash } = await signedIn(app);
    const { results } = await (await app.app.db()).prepare("SELECT * FROM sessions").all();
    const { keys } = await (await app.app.kv()).list();
    const copy = await (await app.app.kv()).get(keys[0]?.name ?? "");
    // The same stores without the sealing secret, and a cookie the remaining secret signs (as
    // an idle-clock stamp re-signs it): only the sealed tokens stand in the way.
    app = await start(SESSION_SECRET);
    const cookie = await plantSession(app.app, SESSION_SECRET, {
      id: sessionIdOf(jar.get(COOKIE) ?? ""),
      kvCopy: false,
    });
    await restore(app.app, results, keys[0]?.name ?? "", copy ?? "");
    const resigned = new CookieJar();
    resigned.set(COOKIE, cookie.value);
    expect((await app.app.fetch("/api/userinfo", { jar: resigned })).status).toBe(401);
    expect((await app.app.fetch("/private", { jar: resigned })).status).toBe(302);
    const row = await (await app.app.db())
      .prepare("SELECT ended_reason, refresh_token FROM sessions WHERE id_hash = ?")
      .bind(idHash)
      .first();
    expect(row).toEqual({ ended_reason: "unreadable", refresh_token: null });
  });

  it("a row written before tokens were sealed still works until it changes", async () => {
    const app = await start(SESSION_SECRET);
    const planted = await plantSession(app.app, SESSION_SECRET, {
      id: "01d01d01d01d01d01d01d01d01d01d01",
    });
    expect(await dump(app)).toContain(FIXTURE_TOKENS.accessToken);
    const jar = new CookieJar();
    jar.set(COOKIE, planted.value);
    expect((await app.app.fetch("/private", { jar })).status).toBe(200);
    // An action reads the row, tokens and all, at the authority.
    const action = await app.app.fetch("/account/sessions", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN },
      body: new URLSearchParams({ intent: "revoke-other-sessions" }),
    });
    expect(action.status).toBe(200);
    // Signing out revokes its refresh token at Clerk, read from the plain-text column.
    app.clerk.emulator.clearRequests();
    await app.app.fetch("/logout", { method: "POST", jar, headers: { Origin: APP_ORIGIN } });
    await expect
      .poll(() =>
        app.clerk.emulator.requests.some(
          (r) => r.path === "/oauth/token/revoke" && r.form?.token_type_hint === "refresh_token",
        ),
      )
      .toBe(true);
    expect(await dump(app)).not.toContain(FIXTURE_TOKENS.refreshToken);
  });
});

/** Writes rows and a KV record read from another app's stores into this app's. */
async function restore(
  app: AppHarness,
  rows: Record<string, unknown>[],
  key: string,
  copy: string,
): Promise<void> {
  const db = await app.db();
  for (const row of rows) {
    const columns = Object.keys(row);
    await db
      .prepare(
        `INSERT OR REPLACE INTO sessions (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      )
      .bind(...columns.map((column) => row[column]))
      .run();
  }
  await (await app.kv()).put(key, copy);
}

beforeEach(() => env?.clerk.emulator.reset());
