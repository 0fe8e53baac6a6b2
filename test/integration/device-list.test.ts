import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_LIVE_SESSIONS_PER_USER } from "clerk-edge-auth";
import { SEED_USERS } from "clerk-oauth-emulator";
import { APP_ORIGIN, type AppHarness } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { expectConsoleErrors } from "../support/console-guard";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const [ADA, GRACE, THIRD] = SEED_USERS;
const CHROME_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PATH = "/account/sessions";

let clerkApp: ClerkApp;
let app: AppHarness;
beforeAll(async () => {
  clerkApp = await startClerkApp({ bundle: "counting" });
  app = clerkApp.app;
});
afterAll(() => clerkApp.close());

/** A browser signed in as `userId`, identified by its User-Agent. */
async function browser(userId: string, userAgent = CHROME_MAC): Promise<CookieJar> {
  return (await browserWithHandle(userId, userAgent)).jar;
}

/** A signed-in browser and the public handle of its new session. */
async function browserWithHandle(userId: string, userAgent = CHROME_MAC) {
  const before = new Set(await handlesOf(userId));
  const jar = new CookieJar();
  const { callback } = await signInThroughEmulator(app, jar, {
    userId,
    headers: { "User-Agent": userAgent },
  });
  expect(callback.status).toBe(302);
  const handle = (await handlesOf(userId)).find((candidate) => !before.has(candidate));
  if (!handle) throw new Error("the sign-in started no session");
  return { jar, handle };
}

/** The public handles of a user's live sessions, newest first, as the authority holds them. */
async function handlesOf(userId: string): Promise<string[]> {
  const { results } = await (await app.db())
    .prepare(
      "SELECT handle FROM sessions WHERE user_id = ? AND ended_at IS NULL ORDER BY created_at DESC",
    )
    .bind(userId)
    .all<{ handle: string }>();
  return results.map((row) => row.handle);
}

function post(jar: CookieJar, form: Record<string, string>) {
  return app.fetch(PATH, {
    method: "POST",
    jar,
    headers: { Origin: APP_ORIGIN },
    body: new URLSearchParams(form),
  });
}

async function isSignedIn(jar: CookieJar): Promise<boolean> {
  const response = await app.fetch("/private", { jar });
  expect([200, 302]).toContain(response.status);
  return response.status === 200;
}

function ids() {
  if (!ADA || !GRACE) throw new Error("the emulator's seed users are missing");
  return { ada: ADA.id, grace: GRACE.id };
}

describe("/account/sessions", () => {
  it("sends a signed-out visitor to sign in and back", async () => {
    const response = await app.fetch(PATH);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Fsessions");
  });

  it("lists the user's live sessions with device and sign-in time, marking this browser", async () => {
    const { ada, grace } = ids();
    const here = await browser(ada, CHROME_MAC);
    await browser(ada, FIREFOX_WINDOWS);
    await browser(grace);
    const response = await app.fetch(PATH, { jar: here });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(html).toContain("Chrome on macOS");
    expect(html).toContain("Firefox on Windows");
    expect(html.match(/This browser/g)).toHaveLength(1);
    expect(html).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT/);
    for (const handle of await handlesOf(grace)) expect(html).not.toContain(handle);

    const data = await app.fetch(`${PATH}.data`, { jar: here });
    expect(data.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await data.text()).toContain("Firefox on Windows");
  });

  it("is linked from the user menu", async () => {
    const jar = await browser(ids().ada);
    const html = await (await app.fetch("/private", { jar })).text();
    expect(html).toContain(`href="${PATH}"`);
  });

  it("ends one other session: that browser's next POST is refused and its next view is signed out", async () => {
    const { ada } = ids();
    const kept = await browserWithHandle(ada);
    const revoked = await browserWithHandle(ada, FIREFOX_WINDOWS);

    const response = await post(kept.jar, { intent: "revoke-session", session: revoked.handle });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Signed out that session.");
    expect(await handlesOf(ada)).not.toContain(revoked.handle);

    expect(revoked.jar.names().length).toBeGreaterThan(0);
    const refused = await post(revoked.jar, { intent: "revoke-session", session: kept.handle });
    expect(refused.status).toBe(302);
    expect(refused.headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Fsessions");
    expect(await handlesOf(ada)).toContain(kept.handle);
    expect(await isSignedIn(revoked.jar)).toBe(false);
    expect(await isSignedIn(kept.jar)).toBe(true);
  });

  it("ends every other session of the user and keeps this one and other users'", async () => {
    const { ada, grace } = ids();
    const others = [await browser(ada), await browser(ada, FIREFOX_WINDOWS)];
    const graceBrowser = await browser(grace);
    const here = await browser(ada);

    const response = await post(here, { intent: "revoke-other-sessions" });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Signed out \d+ other sessions?\./);
    for (const jar of others) expect(await isSignedIn(jar)).toBe(false);
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(graceBrowser)).toBe(true);
    expect(await handlesOf(ada)).toHaveLength(1);
  });

  it("refuses another user's handle with a 4xx and changes nothing", async () => {
    const { ada, grace } = ids();
    const attacker = await browser(ada);
    const victim = await browserWithHandle(grace);
    const before = await handlesOf(grace);
    const response = await post(attacker, { intent: "revoke-session", session: victim.handle });
    expect(response.status).toBe(404);
    expect(await isSignedIn(victim.jar)).toBe(true);
    expect(await handlesOf(grace)).toEqual(before);
  });

  it("refuses an unknown handle, a missing one and an unknown intent with a 4xx", async () => {
    const { ada } = ids();
    const jar = await browser(ada);
    const before = await handlesOf(ada);
    const cases: Array<[Record<string, string>, number]> = [
      [{ intent: "revoke-session", session: "no-such-handle" }, 404],
      [{ intent: "revoke-session" }, 400],
      [{ intent: "revoke-session", session: "x".repeat(5000) }, 400],
      [{ intent: "delete-everything" }, 400],
      [{}, 400],
    ];
    for (const [form, status] of cases) expect((await post(jar, form)).status).toBe(status);
    expect(await handlesOf(ada)).toEqual(before);
    expect(await isSignedIn(jar)).toBe(true);
  });

  it("will not end this browser's own session by handle; sign-out does that", async () => {
    const { ada } = ids();
    const { jar, handle: own } = await browserWithHandle(ada);
    const response = await post(jar, { intent: "revoke-session", session: own });
    expect(response.status).toBe(404);
    expect(await isSignedIn(jar)).toBe(true);
  });
});

describe("live sessions per user", () => {
  it(`are capped at ${MAX_LIVE_SESSIONS_PER_USER}: a sign-in beyond it ends the oldest`, async () => {
    const userId = THIRD?.id ?? "";
    const first = await browserWithHandle(userId);
    for (let index = 1; index < MAX_LIVE_SESSIONS_PER_USER; index++) await browser(userId);
    expect(await handlesOf(userId)).toHaveLength(MAX_LIVE_SESSIONS_PER_USER);
    expect(await isSignedIn(first.jar)).toBe(true);

    const latest = await browser(userId);
    const live = await handlesOf(userId);
    expect(live).toHaveLength(MAX_LIVE_SESSIONS_PER_USER);
    expect(live).not.toContain(first.handle);
    expect(await isSignedIn(first.jar)).toBe(false);
    expect(await isSignedIn(latest)).toBe(true);
    const ended = await (await app.db())
      .prepare("SELECT ended_reason FROM sessions WHERE handle = ?")
      .bind(first.handle)
      .first<{ ended_reason: string }>();
    expect(ended?.ended_reason).toBe("replaced");
  });
});

describe("a device sign-out that could not be confirmed says so", () => {
  afterEach(() => app.clearD1Faults());

  it.each([
    ["one other session", "revoke-session"],
    ["every other session", "revoke-other-sessions"],
  ])(
    "signing out %s while the end fails: a 4xx that says so, and the background retry ends it",
    async (_, intent) => {
      expectConsoleErrors();
      const { ada } = ids();
      const other = await browserWithHandle(ada, FIREFOX_WINDOWS);
      const here = await browser(ada);
      await app.injectD1Fault({ match: "UPDATE sessions SET ended_at", fail: true, times: 1 });
      const response = await post(here, { intent, session: other.handle });
      expect(response.status).toBe(424);
      const html = await response.text();
      expect(html).toContain("could not be confirmed");
      expect(html).not.toMatch(/Signed out/);
      await expect.poll(() => handlesOf(ada), { timeout: 5000 }).not.toContain(other.handle);
      expect(await isSignedIn(other.jar)).toBe(false);
      expect(await isSignedIn(here)).toBe(true);
    },
  );
});
