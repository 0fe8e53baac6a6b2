import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { SEED_USERS } from "clerk-oauth-emulator";
import { APP_ORIGIN } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { expectConsoleErrors } from "../support/console-guard";
import { CookieJar } from "../support/cookie-jar";
import { hashOf, sessionIdOf } from "../support/session-fixture";
import { signInThroughEmulator } from "../support/sign-in-flow";

// The session authority (D1) behind the KV edge copy, in workerd with real local KV and D1 and the
// emulator over HTTP. Races are made real by delaying the emulator's answers, never by mocks.
const [ADA] = SEED_USERS as [(typeof SEED_USERS)[0]];

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp({ bundle: "counting" });
});
afterAll(() => env.close());
beforeEach(async () => {
  env.clerk.emulator.reset();
  env.clerk.emulator.configure({ accessTokenTtlSeconds: 86_400, rotateRefreshTokens: true });
  env.clerk.emulator.clearRequests();
  await env.app.clearKvFaults();
  await env.app.clearD1Faults();
});

/** Longer than the app's 3 s deadline for a D1 call: the call lands, the app gave up on it. */
const PAST_DEADLINE_MS = 3500;
const END_STATEMENT = "UPDATE sessions SET ended_at";

const tokenCalls = (grant: string) =>
  env.clerk.emulator.requests.filter(
    (r) => r.path === "/oauth/token" && r.form?.grant_type === grant,
  ).length;

/** Waits (bounded) until the emulator has seen a request matching `match`. */
async function seen(match: (r: { method: string; path: string }) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (env.clerk.emulator.requests.some(match)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the emulator never saw the expected request");
}

async function signedIn(): Promise<{ jar: CookieJar; copy: CookieJar; id: string }> {
  const jar = new CookieJar();
  await signInThroughEmulator(env.app, jar);
  const copy = new CookieJar();
  const value = jar.get(SESSION_COOKIE_NAME.http) ?? "";
  copy.set(SESSION_COOKIE_NAME.http, value);
  const id = sessionIdOf(value);
  env.clerk.emulator.clearRequests();
  return { jar, copy, id };
}

async function row(id: string) {
  return (await env.app.db())
    .prepare("SELECT * FROM sessions WHERE id_hash = ?")
    .bind(await hashOf(id))
    .first<Record<string, string | number | null>>();
}

async function kvCopy(id: string): Promise<unknown> {
  return (await env.app.kv()).get(`session:${await hashOf(id)}`, "json");
}

const signOut = (jar: CookieJar) =>
  env.app.fetch("/logout", { method: "POST", jar, headers: { Origin: APP_ORIGIN } });

const saveName = (jar: CookieJar, firstName: string) =>
  env.app.fetch("/profile", {
    method: "POST",
    jar,
    headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ firstName }),
  });

describe("what the stores hold", () => {
  it("neither KV nor D1 holds the session id, only its SHA-256; KV holds no token", async () => {
    const { id } = await signedIn();
    const kv = await env.app.kv();
    const keys = (await kv.list()).keys.map((key) => key.name);
    const values = await Promise.all(keys.map((key) => kv.get(key)));
    const { results } = await (await env.app.db()).prepare("SELECT * FROM sessions").all();
    const kvDump = JSON.stringify({ keys, values });
    const dbDump = JSON.stringify(results);
    expect(kvDump).not.toContain(id);
    expect(dbDump).not.toContain(id);
    expect(keys).toContain(`session:${await hashOf(id)}`);
    expect(kvDump).not.toMatch(/oat_|ort_|accessToken|refreshToken/);
    expect(dbDump).not.toMatch(/oat_|ort_/);
    expect(dbDump).toMatch(/"access_token":"sealed:v1:/);
  });
});

describe("sign-out is final", () => {
  it("ends the session at the authority and removes the KV copy; a copied cookie is refused at once", async () => {
    const { jar, copy, id } = await signedIn();
    expect((await signOut(jar)).status).toBe(302);
    expect((await row(id))?.ended_reason).toBe("signed_out");
    expect(await kvCopy(id)).toBeNull();
    expect((await env.app.fetch("/private", { jar: copy })).status).toBe(302);
    const post = await saveName(copy, "Mallory");
    expect(post.status).toBe(302);
    expect(post.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
  });

  it("the statement that ends a session drops its tokens; the refresh token is revoked at Clerk", async () => {
    const { jar, id } = await signedIn();
    const refreshToken = (await row(id))?.refresh_token;
    expect(refreshToken).toMatch(/^sealed:v1:/);
    expect((await signOut(jar)).status).toBe(302);
    expect(await row(id)).toMatchObject({
      ended_reason: "signed_out",
      access_token: "",
      refresh_token: null,
      id_token: null,
      access_expires_at: null,
    });
    // The emulator's log redacts the token itself; this sign-in's requests were cleared above.
    await expect
      .poll(() =>
        env.clerk.emulator.requests.some(
          (r) => r.path === "/oauth/token/revoke" && r.form?.token_type_hint === "refresh_token",
        ),
      )
      .toBe(true);
  });

  it("works while KV cannot be read: the authority ends the session all the same", async () => {
    const { jar, copy, id } = await signedIn();
    await env.app.injectKvFault({ op: "get", fail: true });
    expect((await signOut(jar)).status).toBe(302);
    await env.app.clearKvFaults();
    expect((await row(id))?.ended_at).not.toBeNull();
    expect((await env.app.fetch("/private", { jar: copy })).status).toBe(302);
  });

  it("a profile save in flight when the owner signs out does not bring the session back", async () => {
    const { jar, copy, id } = await signedIn();
    env.clerk.emulator.fail("backend", { kind: "delay", ms: 1500 }, { times: 1 });
    const saving = saveName(copy, "Mallory");
    await seen((r) => r.method === "PATCH");
    expect((await signOut(jar)).status).toBe(302);
    await saving;
    expect((await row(id))?.ended_reason).toBe("signed_out");
    expect(await kvCopy(id)).toBeNull();
    expect((await env.app.fetch("/private", { jar: copy })).status).toBe(302);
  });

  it("a token refresh in flight when the owner signs out does not bring the session back", async () => {
    env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
    const { jar, copy, id } = await signedIn();
    env.clerk.emulator.fail("token", { kind: "delay", ms: 1000 }, { times: 1 });
    const refreshing = env.app.fetch("/api/userinfo", { jar: copy });
    await seen((r) => r.path === "/oauth/token");
    expect((await signOut(jar)).status).toBe(302);
    expect((await refreshing).status).toBe(401);
    const ended = await row(id);
    expect(ended?.ended_reason).toBe("signed_out");
    expect(await kvCopy(id)).toBeNull();
    expect((await env.app.fetch("/private", { jar: copy })).status).toBe(302);
  });
});

describe("a sign-out that could not end the session says so", () => {
  /** The sign-out's answer, the page it leads to, and the cookie it left for the retry. */
  async function signOutUnconfirmed(jar: CookieJar) {
    const answer = await signOut(jar);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/logout?status=incomplete");
    expect(jar.get(SESSION_COOKIE_NAME.http)).toBeUndefined();
    const page = await env.app.fetch(answer.headers.get("Location") ?? "", { jar });
    expect(page.status).toBeLessThan(500);
    const html = await page.text();
    expect(html).toContain("Sign-out did not complete");
    expect(html).toMatch(/<form[^>]*action="\/logout"/);
    return page;
  }

  it.each([
    ["fails", { fail: true, times: 1 }],
    ["hangs past its deadline", { fail: true, hangMs: PAST_DEADLINE_MS, times: 1 }],
  ])(
    "when the end %s: the page says so, the cookie goes, and the background retry ends the session",
    async (_, fault) => {
      expectConsoleErrors();
      const { jar, copy, id } = await signedIn();
      await env.app.injectD1Fault({ match: END_STATEMENT, ...fault });
      await signOutUnconfirmed(jar);
      await expect
        .poll(async () => (await row(id))?.ended_reason, { timeout: 5000 })
        .toBe("signed_out");
      expect(await kvCopy(id)).toBeNull();
      expect((await saveName(copy, "Mallory")).status).toBe(302);
    },
  );

  it("when the end lands after its deadline: not reported as done, and the session is over", async () => {
    expectConsoleErrors();
    const { jar, copy, id } = await signedIn();
    await env.app.injectD1Fault({ match: END_STATEMENT, hangMs: PAST_DEADLINE_MS, times: 1 });
    await signOutUnconfirmed(jar);
    expect((await row(id))?.ended_reason).toBe("signed_out");
    expect((await env.app.fetch("/api/userinfo", { jar: copy })).status).toBe(401);
  });

  it("while the database keeps refusing, the person's own retry ends the session once it can", async () => {
    expectConsoleErrors();
    const { jar, copy, id } = await signedIn();
    await env.app.injectD1Fault({ match: END_STATEMENT, fail: true });
    await signOutUnconfirmed(jar);
    expect((await row(id))?.ended_at).toBeNull();
    await env.app.clearD1Faults();
    const retried = await signOut(jar);
    expect(retried.headers.get("Location")).toBe("/");
    expect(jar.names()).toEqual([]);
    expect((await row(id))?.ended_reason).toBe("signed_out");
    expect((await env.app.fetch("/api/userinfo", { jar: copy })).status).toBe(401);
  });

  it("GET /logout with anything else goes home", async () => {
    for (const path of ["/logout", "/logout?status=done"]) {
      const answer = await env.app.fetch(path);
      expect(answer.status).toBe(302);
      expect(answer.headers.get("Location")).toBe("/");
    }
  });
});

describe("an ended session's KV copy does not outlive it", () => {
  it("a KV delete that keeps failing past its first retry is retried again in the background", async () => {
    expectConsoleErrors();
    const { jar, id } = await signedIn();
    await env.app.injectKvFault({ op: "delete", fail: true });
    expect((await signOut(jar)).headers.get("Location")).toBe("/");
    expect((await row(id))?.ended_reason).toBe("signed_out");
    // Past the first retry (a second after the response), KV starts taking deletes again.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await kvCopy(id)).not.toBeNull();
    await env.app.clearKvFaults();
    await expect.poll(() => kvCopy(id), { timeout: 6000, interval: 200 }).toBeNull();
  });

  it("a copy lives an hour at most, however long its session", async () => {
    const { id } = await signedIn();
    const { keys } = await (await env.app.kv()).list({ prefix: `session:${await hashOf(id)}` });
    const expiration = keys[0]?.expiration ?? Number.POSITIVE_INFINITY;
    expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
  });
});

describe("a stale KV copy never traps its holder", () => {
  /** A session the authority has ended while its KV copy still says signed in. */
  async function staleCopy() {
    const session = await signedIn();
    await (await env.app.db())
      .prepare("UPDATE sessions SET ended_at = ?, ended_reason = 'user_deleted' WHERE id_hash = ?")
      .bind(Date.now(), await hashOf(session.id))
      .run();
    expect(await kvCopy(session.id)).not.toBeNull();
    return session;
  }

  const cookieExpired = (answer: Response) =>
    answer.headers
      .getSetCookie()
      .some(
        (cookie) => cookie.startsWith(`${SESSION_COOKIE_NAME.http}=;`) && /Max-Age=0/.test(cookie),
      );

  it("/login asks the authority, drops the copy and the cookie, and starts a sign-in", async () => {
    const { jar, id } = await staleCopy();
    const login = await env.app.fetch("/login?redirectTo=%2Faccount%2Fsessions", { jar });
    expect(login.status).toBe(302);
    expect(new URL(login.headers.get("Location") ?? "", APP_ORIGIN).pathname).toBe(
      "/oauth/authorize",
    );
    expect(cookieExpired(login)).toBe(true);
    expect(await kvCopy(id)).toBeNull();
  });

  it.each([
    ["the device list", "/account/sessions", "GET"],
    ["an action", "/profile", "POST"],
  ])(
    "%s sends the holder to sign in with the copy and the cookie gone",
    async (_, path, method) => {
      const { jar, id } = await staleCopy();
      const answer = await env.app.fetch(path, {
        method,
        jar,
        headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
        ...(method === "POST" ? { body: "firstName=Ada" } : {}),
      });
      expect(answer.status).toBe(302);
      expect(answer.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
      expect(cookieExpired(answer)).toBe(true);
      expect(await kvCopy(id)).toBeNull();
    },
  );

  it("signing in again from there works", async () => {
    const { jar } = await staleCopy();
    expect((await env.app.fetch("/account/sessions", { jar })).status).toBe(302);
    const { callback } = await signInThroughEmulator(env.app, jar, {
      redirectTo: "/account/sessions",
    });
    expect(callback.headers.get("Location")).toBe("/account/sessions");
    expect((await env.app.fetch("/account/sessions", { jar })).status).toBe(200);
  });

  it("a database failure is not taken for an ended session: the cookie stays", async () => {
    expectConsoleErrors();
    const { jar } = await signedIn();
    await env.app.injectD1Fault({ match: "SELECT * FROM sessions", fail: true });
    const login = await env.app.fetch("/login?redirectTo=%2Fprivate", { jar });
    expect(login.headers.get("Location")).toBe("/private");
    expect(cookieExpired(login)).toBe(false);
    await env.app.clearD1Faults();
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });
});

describe("unknown is not signed out", () => {
  it.each([
    ["fails", { fail: true }],
    ["hangs", { fail: true, hangMs: 8000 }],
  ])("/api/userinfo when the session read %s answers 424, not 401 signed_out", async (_, fault) => {
    const { jar } = await signedIn();
    await env.app.injectD1Fault({ match: "SELECT * FROM sessions", ...fault });
    const answer = await env.app.fetch("/api/userinfo", { jar });
    expect(answer.status).toBe(424);
    expect(await answer.json()).toEqual({ error: "session_unavailable" });
    await env.app.clearD1Faults();
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
  });
});

describe("token refresh is single-flight", () => {
  it.each([2, 10])(
    "%i concurrent requests with an expiring token make one refresh call and all stay signed in",
    async (count) => {
      env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
      const { jar } = await signedIn();
      env.clerk.emulator.fail("token", { kind: "delay", ms: 300 }, { times: 1 });
      const answers = await Promise.all(
        Array.from({ length: count }, () => env.app.fetch("/api/userinfo", { jar })),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      expect(tokenCalls("refresh_token")).toBe(1);
      expect((await env.app.fetch("/private", { jar })).status).toBe(200);
      // The tokens the one refresh stored are the current ones: the next refresh works too.
      env.clerk.emulator.clearRequests();
      expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
      expect(tokenCalls("refresh_token")).toBe(1);
    },
  );

  it("requests whose token has already expired wait for the one refresh and use its tokens", async () => {
    const { jar, id } = await signedIn();
    await (await env.app.db())
      .prepare("UPDATE sessions SET access_expires_at = ? WHERE id_hash = ?")
      .bind(Date.now() - 1000, await hashOf(id))
      .run();
    env.clerk.emulator.fail("token", { kind: "delay", ms: 300 }, { times: 1 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => env.app.fetch("/api/userinfo", { jar })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(tokenCalls("refresh_token")).toBe(1);
  });

  it("a profile save racing a refresh keeps the refreshed tokens", async () => {
    env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
    const { jar, id } = await signedIn();
    env.clerk.emulator.fail("backend", { kind: "delay", ms: 800 }, { times: 1 });
    const saving = saveName(jar, "Augusta");
    await seen((r) => r.method === "PATCH");
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    const afterRefresh = (await row(id))?.refresh_token;
    expect((await saving).status).toBeLessThan(400);
    const saved = await row(id);
    expect(saved?.refresh_token).toBe(afterRefresh);
    expect(JSON.parse(String(saved?.user_json)).firstName).toBe("Augusta");
    // With rotation, a stale refresh token would now be refused and sign the user out.
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });

  it("a KV write that fails after a refresh loses nothing: the tokens are at the authority", async () => {
    env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
    const { jar } = await signedIn();
    await env.app.injectKvFault({ op: "put", fail: true });
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    await env.app.clearKvFaults();
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    expect(tokenCalls("refresh_token")).toBe(2);
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });

  it("only Clerk refusing the current refresh token ends the session", async () => {
    env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
    const { jar, id } = await signedIn();
    env.clerk.emulator.fail("token", { kind: "invalid-grant" }, { times: 1 });
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(401);
    expect((await row(id))?.ended_reason).toBe("refresh_refused");
    expect(await kvCopy(id)).toBeNull();
  });
});

describe("KV failures never end a live session", () => {
  it("a page view whose KV read fails is answered from the authority", async () => {
    expectConsoleErrors();
    const { jar } = await signedIn();
    await env.app.injectKvFault({ op: "get", fail: true });
    const page = await env.app.fetch("/private", { jar });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(ADA.id);
  });

  it("a hung KV read is abandoned after its deadline and the view still answers", async () => {
    expectConsoleErrors();
    const { jar } = await signedIn();
    await env.app.injectKvFault({ op: "get", hangMs: 8000 });
    const started = Date.now();
    const page = await env.app.fetch("/private", { jar });
    expect(page.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
