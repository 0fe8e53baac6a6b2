import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebhookSecret, SEED_USERS, signWebhook } from "clerk-oauth-emulator";
import { APP_ORIGIN, type AppHarness, startApp } from "../support/app-harness";
import { SESSION_SECRET, validBindings } from "../support/bindings";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { expectConsoleErrors } from "../support/console-guard";
import { CookieJar } from "../support/cookie-jar";
import { ADA, plantSession } from "../support/session-fixture";
import { signInThroughEmulator } from "../support/sign-in-flow";

const SECRET = createWebhookSecret();
const GRACE = { ...ADA, id: "user_2graceHopperFixture0000000", email: "grace@example.com" };

let clerkApp: ClerkApp;
let app: AppHarness;
beforeAll(async () => {
  clerkApp = await startClerkApp({
    bundle: "counting",
    bindings: { CLERK_WEBHOOK_SIGNING_SECRET: SECRET },
  });
  app = clerkApp.app;
});
afterAll(() => clerkApp.close());

let sequence = 0;
/** A fresh session id per test, so each test reads only its own rows. */
function nextId(): string {
  sequence += 1;
  return sequence.toString(16).padStart(32, "0");
}

interface Delivery {
  id?: string;
  timestamp?: number;
  secret?: string;
  signature?: string;
}

/** POSTs a body to /webhooks/clerk as Clerk does: no cookie, no Origin, Svix headers. */
async function deliver(body: string, { id, timestamp, secret = SECRET, signature }: Delivery = {}) {
  const svixId = id ?? `msg_${crypto.randomUUID()}`;
  const seconds = timestamp ?? Math.floor(Date.now() / 1000);
  return app.fetch("/webhooks/clerk", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(seconds),
      "svix-signature": signature ?? (await signWebhook(secret, svixId, seconds, body)),
    },
    body,
  });
}

function clerkUser(user: typeof ADA, extra: Record<string, unknown> = {}) {
  return {
    id: user.id,
    object: "user",
    first_name: user.firstName,
    last_name: user.lastName,
    username: user.username,
    image_url: "https://img.clerk.com/ada.png",
    primary_email_address_id: "idn_1",
    email_addresses: [
      { id: "idn_1", email_address: user.email, verification: { status: "verified" } },
    ],
    public_metadata: user.publicMetadata,
    private_metadata: { plan: "secret" },
    banned: false,
    locked: false,
    ...extra,
  };
}

const event = (type: string, data: unknown) =>
  JSON.stringify({ object: "event", type, data, timestamp: Date.now(), instance_id: "ins_1" });

async function sessionOf(user = ADA) {
  return plantSession(app, SESSION_SECRET, { id: nextId(), user, handle: `h-${nextId()}` });
}

/** The session as both stores hold it: ended at D1 or not, and whether KV still has a copy. */
async function stateOf(idHash: string) {
  const row = await (await app.db())
    .prepare("SELECT ended_at, ended_reason, user_json FROM sessions WHERE id_hash = ?")
    .bind(idHash)
    .first<{ ended_at: number | null; ended_reason: string | null; user_json: string }>();
  const copy = await (await app.kv()).get(`session:${idHash}`, "json");
  return {
    live: row?.ended_at === null,
    reason: row?.ended_reason ?? null,
    user: JSON.parse(row?.user_json ?? "null"),
    kvCopy: copy as { user: Record<string, unknown> } | null,
  };
}

/** Refresh-token revocations the emulator has received (the token itself is never logged). */
function revocations(): number {
  return clerkApp.clerk.emulator.requests.filter(
    (request) =>
      request.path === "/oauth/token/revoke" && request.form?.token_type_hint === "refresh_token",
  ).length;
}

async function expectAlive(idHash: string) {
  const state = await stateOf(idHash);
  expect(state.live).toBe(true);
  expect(state.kvCopy).not.toBeNull();
}

async function expectSignedIn(cookie: string, signedIn: boolean) {
  const response = await app.fetch("/private", { headers: { Cookie: cookie } });
  expect(response.status).toBe(signedIn ? 200 : 302);
}

describe("POST /webhooks/clerk", () => {
  it("ends every session of a deleted user at D1 and in KV, signs the browser out and revokes the refresh tokens", async () => {
    const first = await sessionOf();
    const second = await sessionOf();
    const other = await sessionOf(GRACE);
    const revokedBefore = revocations();
    const response = await deliver(
      event("user.deleted", { object: "user", id: ADA.id, deleted: true }),
    );
    expect(response.status).toBe(200);
    for (const session of [first, second]) {
      expect(await stateOf(session.idHash)).toMatchObject({
        live: false,
        reason: "user_deleted",
        kvCopy: null,
      });
      await expectSignedIn(session.cookie, false);
    }
    await expectAlive(other.idHash);
    await expect.poll(revocations).toBe(revokedBefore + 2);
  });

  it("ends the sessions of a banned user and of a locked user", async () => {
    const banned = await sessionOf();
    expect((await deliver(event("user.updated", clerkUser(ADA, { banned: true })))).status).toBe(
      200,
    );
    expect(await stateOf(banned.idHash)).toMatchObject({ live: false, reason: "user_banned" });

    const locked = await sessionOf(GRACE);
    const lock = await deliver(event("user.updated", clerkUser(GRACE, { locked: true })));
    expect(lock.status).toBe(200);
    expect(await stateOf(locked.idHash)).toMatchObject({
      live: false,
      reason: "user_locked",
      kvCopy: null,
    });
  });

  it("updates the name, email and image kept in the user's live sessions, and nothing private", async () => {
    const session = await sessionOf();
    const renamed = clerkUser(ADA, { first_name: "Augusta", last_name: "King" });
    expect((await deliver(event("user.updated", renamed))).status).toBe(200);
    const state = await stateOf(session.idHash);
    expect(state.live).toBe(true);
    for (const user of [state.user, state.kvCopy?.user]) {
      expect(user).toMatchObject({
        id: ADA.id,
        firstName: "Augusta",
        lastName: "King",
        fullName: "Augusta King",
        email: ADA.email,
        imageUrl: "https://img.clerk.com/ada.png",
      });
      expect(JSON.stringify(user)).not.toContain("secret");
    }
    const page = await app.fetch("/private", { headers: { Cookie: session.cookie } });
    expect(await page.text()).toContain("Augusta King");
  });

  it("replaces the public metadata kept in the sessions whole: a key Clerk removed is gone", async () => {
    const session = await sessionOf();
    const cleared = clerkUser(ADA, { public_metadata: { plan: "free" } });
    expect((await deliver(event("user.updated", cleared))).status).toBe(200);
    const state = await stateOf(session.idHash);
    for (const user of [state.user, state.kvCopy?.user]) {
      expect(user?.publicMetadata).toEqual({ plan: "free" });
    }
  });

  it("applies user.updated in Clerk's order: a late retry of an older event changes nothing", async () => {
    const user = { ...ADA, id: "user_2orderedUpdatesFixture0000" };
    const session = await sessionOf(user);
    const at = Date.now();
    const newer = clerkUser(user, {
      first_name: "Newer",
      public_metadata: { plan: "pro" },
      updated_at: at,
    });
    const older = clerkUser(user, {
      first_name: "Older",
      public_metadata: { plan: "free", beta: true },
      updated_at: at - 60_000,
    });
    expect(await (await deliver(event("user.updated", newer))).json()).toMatchObject({
      sessions: 1,
    });
    const late = await deliver(event("user.updated", older));
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ status: "processed", sessions: 0 });
    const state = await stateOf(session.idHash);
    for (const held of [state.user, state.kvCopy?.user]) {
      expect(held).toMatchObject({ firstName: "Newer", publicMetadata: { plan: "pro" } });
    }
    const page = await app.fetch("/private", { headers: { Cookie: session.cookie } });
    expect(await page.text()).toContain("Newer");

    const latest = clerkUser(user, { first_name: "Latest", updated_at: at + 1 });
    expect((await deliver(event("user.updated", latest))).status).toBe(200);
    expect((await stateOf(session.idHash)).user).toMatchObject({ firstName: "Latest" });
  });

  it("a profile save keeps Clerk's time of the change: an older event arriving later changes nothing", async () => {
    const user = SEED_USERS[1];
    if (!user) throw new Error("the emulator has no second seed user");
    const jar = new CookieJar();
    await signInThroughEmulator(app, jar, { userId: user.id });
    const saved = await app.fetch("/profile", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ firstName: "Edited" }).toString(),
    });
    expect(saved.status).toBeLessThan(400);
    const stale = clerkUser(
      { ...ADA, id: user.id },
      { first_name: "Stale", updated_at: Date.now() - 60_000 },
    );
    expect((await deliver(event("user.updated", stale))).status).toBe(200);
    const page = await (await app.fetch("/private", { jar })).text();
    expect(page).toContain("Edited");
    expect(page).not.toContain("Stale");
  });

  it("accepts a delivery signed during a secret rotation, when one of two v1 entries is valid", async () => {
    const session = await sessionOf();
    const body = event("user.deleted", { object: "user", id: ADA.id, deleted: true });
    const id = "msg_rotation";
    const seconds = Math.floor(Date.now() / 1000);
    const old = await signWebhook(createWebhookSecret(), id, seconds, body);
    const current = await signWebhook(SECRET, id, seconds, body);
    const response = await deliver(body, {
      id,
      timestamp: seconds,
      signature: `${old} ${current}`,
    });
    expect(response.status).toBe(200);
    expect((await stateOf(session.idHash)).live).toBe(false);
  });

  it("acknowledges a repeated svix-id without acting on it again", async () => {
    const body = event("user.deleted", { object: "user", id: ADA.id, deleted: true });
    const id = "msg_replayed";
    expect((await deliver(body, { id })).status).toBe(200);
    const later = await sessionOf();
    const replay = await deliver(body, { id });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: "duplicate" });
    await expectAlive(later.idHash);
  });

  describe("refuses without effect", () => {
    const deleteAda = event("user.deleted", { object: "user", id: ADA.id, deleted: true });

    it("a signature made with another secret", async () => {
      const session = await sessionOf();
      const response = await deliver(deleteAda, { secret: createWebhookSecret() });
      expect(response.status).toBe(401);
      await expectAlive(session.idHash);
      await expectSignedIn(session.cookie, true);
    });

    it("a body changed after it was signed", async () => {
      const session = await sessionOf();
      const id = "msg_tampered";
      const seconds = Math.floor(Date.now() / 1000);
      const signature = await signWebhook(SECRET, id, seconds, event("session.created", {}));
      const response = await deliver(deleteAda, { id, timestamp: seconds, signature });
      expect(response.status).toBe(401);
      await expectAlive(session.idHash);
    });

    it("a timestamp more than five minutes old, or ahead", async () => {
      const session = await sessionOf();
      const now = Math.floor(Date.now() / 1000);
      for (const timestamp of [now - 6 * 60, now + 6 * 60]) {
        const response = await deliver(deleteAda, { timestamp });
        expect([400, 401]).toContain(response.status);
      }
      await expectAlive(session.idHash);
    });

    it("a delivery without the Svix headers", async () => {
      const session = await sessionOf();
      const response = await app.fetch("/webhooks/clerk", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: deleteAda,
      });
      expect(response.status).toBe(400);
      await expectAlive(session.idHash);
    });

    it("a verified body that is not JSON, with 400", async () => {
      const response = await deliver('{"type":"user.deleted","data":');
      expect(response.status).toBe(400);
    });

    it("a verified user event without a user id, with 400", async () => {
      const session = await sessionOf();
      const response = await deliver(event("user.deleted", { object: "user", deleted: true }));
      expect(response.status).toBe(400);
      await expectAlive(session.idHash);
    });
  });

  it("acknowledges an event type it does not handle and changes nothing", async () => {
    const session = await sessionOf();
    const response = await deliver(event("session.revoked", { id: "sess_1", user_id: ADA.id }));
    expect(response.status).toBe(200);
    await expectAlive(session.idHash);
  });

  it("acknowledges an event about a user with no sessions here", async () => {
    const session = await sessionOf();
    const response = await deliver(
      event("user.deleted", { object: "user", id: "user_nobodyHere", deleted: true }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed", sessions: 0 });
    await expectAlive(session.idHash);
  });

  it("stops reading a chunked body at 256 KB: a body that never ends is refused with 413", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 512 KB at most, then the stream stays open: only a capped read ever answers.
        if (sent < 8) {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const answer = await app.fetch("/webhooks/clerk", {
      method: "POST",
      headers: { "svix-id": "msg_endless", "svix-timestamp": "1", "svix-signature": "v1,AA==" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect(answer.status).toBe(413);
  }, 10_000);

  it("is let through the cross-origin guard: Clerk sends no Origin and no cookie", async () => {
    const response = await deliver(event("user.created", clerkUser(ADA)));
    expect(response.status).toBe(200);
  });
});

describe("an acknowledged event has taken effect", () => {
  const deleteAda = () => event("user.deleted", { object: "user", id: ADA.id, deleted: true });
  /** Longer than the app's 3 s deadline for a D1 call: the call lands, the app gave up on it. */
  const PAST_DEADLINE_MS = 3500;

  afterEach(() => app.clearD1Faults());

  /** Clerk's retries of one delivery until it is acknowledged (bounded). */
  async function deliverUntilAcknowledged(body: string, id: string): Promise<Response[]> {
    const answers: Response[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await deliver(body, { id });
      answers.push(answer);
      if (answer.status < 300) break;
      expect(answer.status).toBe(503);
      expect(answer.headers.get("Retry-After")).toBe("60");
    }
    return answers;
  }

  it("a delivery record that lands after its deadline: the retry finds the sessions ended", async () => {
    expectConsoleErrors();
    const session = await sessionOf();
    await app.injectD1Fault({
      match: "INSERT INTO webhook_deliveries",
      hangMs: PAST_DEADLINE_MS,
      times: 1,
    });
    const id = `msg_${crypto.randomUUID()}`;
    expect((await deliver(deleteAda(), { id })).status).toBe(503);
    const answers = await deliverUntilAcknowledged(deleteAda(), id);
    expect(answers.at(-1)?.status).toBe(200);
    expect(await stateOf(session.idHash)).toMatchObject({ live: false, kvCopy: null });
    await expectSignedIn(session.cookie, false);
  });

  it("an effect that fails, with every cleanup failing too: the retry redoes it", async () => {
    expectConsoleErrors();
    const session = await sessionOf();
    await app.injectD1Fault({ match: "UPDATE sessions SET ended_at", fail: true, times: 1 });
    await app.injectD1Fault({ match: "DELETE FROM webhook_deliveries", fail: true });
    const id = `msg_${crypto.randomUUID()}`;
    const answers = await deliverUntilAcknowledged(deleteAda(), id);
    expect(answers.map((answer) => answer.status)).toEqual([503, 200]);
    expect(await answers[1]?.json()).toMatchObject({ status: "processed" });
    expect(await stateOf(session.idHash)).toMatchObject({
      live: false,
      reason: "user_deleted",
      kvCopy: null,
    });
  });

  it("an effect that hangs past its deadline and then lands: acknowledged only once it holds", async () => {
    expectConsoleErrors();
    const session = await sessionOf();
    await app.injectD1Fault({
      match: "UPDATE sessions SET ended_at",
      hangMs: PAST_DEADLINE_MS,
      times: 1,
    });
    const id = `msg_${crypto.randomUUID()}`;
    expect((await deliver(deleteAda(), { id })).status).toBe(503);
    const answers = await deliverUntilAcknowledged(deleteAda(), id);
    expect(answers.at(-1)?.status).toBe(200);
    expect((await stateOf(session.idHash)).live).toBe(false);
    const replay = await deliver(deleteAda(), { id });
    expect(await replay.json()).toMatchObject({ status: "duplicate" });
  });

  it("a name change whose record fails is applied again on retry, and only acknowledged then", async () => {
    expectConsoleErrors();
    const session = await sessionOf();
    await app.injectD1Fault({ match: "INSERT INTO webhook_deliveries", fail: true, times: 1 });
    const id = `msg_${crypto.randomUUID()}`;
    const renamed = event("user.updated", clerkUser(ADA, { first_name: "Augusta" }));
    const answers = await deliverUntilAcknowledged(renamed, id);
    expect(answers.map((answer) => answer.status)).toEqual([503, 200]);
    const state = await stateOf(session.idHash);
    expect(state.user.firstName).toBe("Augusta");
    expect(state.kvCopy?.user.firstName).toBe("Augusta");
  });
});

describe("a sign-in racing the end of its account", () => {
  const emulator = () => clerkApp.clerk.emulator;
  const deleted = (userId: string) =>
    deliver(event("user.deleted", { object: "user", id: userId, deleted: true }));

  /** The user's sessions as the authority holds them, with whether KV has a copy of each. */
  async function sessionsOf(userId: string) {
    const { results } = await (await app.db())
      .prepare("SELECT id_hash, ended_at FROM sessions WHERE user_id = ?")
      .bind(userId)
      .all<{ id_hash: string; ended_at: number | null }>();
    const kv = await app.kv();
    return Promise.all(
      results.map(async (row) => ({
        live: row.ended_at === null,
        kvCopy: (await kv.get(`session:${row.id_hash}`)) !== null,
      })),
    );
  }

  async function until(check: () => Promise<boolean> | boolean): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("the awaited moment never came");
  }

  afterEach(() => app.clearKvFaults());

  it("an account deleted before the sign-in's session is written: no session starts", async () => {
    const user = SEED_USERS[0];
    if (!user) throw new Error("the emulator has no seed user");
    emulator().clearRequests();
    emulator().fail("token", { kind: "delay", ms: 800 }, { times: 1 });
    const jar = new CookieJar();
    const signingIn = signInThroughEmulator(app, jar, { userId: user.id });
    await until(() => emulator().requests.some((request) => request.path === "/oauth/token"));
    expect((await deleted(user.id)).status).toBe(200);
    const { callback } = await signingIn;
    expect(callback.headers.get("Location")).toMatch(/^\/auth\/error\?code=/);
    expect((await sessionsOf(user.id)).filter((session) => session.live)).toEqual([]);
    expect((await app.fetch("/private", { jar })).status).toBe(302);
    // A sign-in that begins after the deletion is Clerk's to allow, and starts a session.
    const again = await signInThroughEmulator(app, new CookieJar(), { userId: user.id });
    expect(again.callback.headers.get("Location")).toBe("/private");
  });

  it("an account deleted between the session's row and its KV copy: no copy is left", async () => {
    const user = SEED_USERS[2];
    if (!user) throw new Error("the emulator has no third seed user");
    await app.injectKvFault({ op: "put", hangMs: 1000 });
    const signingIn = signInThroughEmulator(app, new CookieJar(), { userId: user.id });
    await until(async () => (await sessionsOf(user.id)).some((session) => session.live));
    expect((await deleted(user.id)).status).toBe(200);
    await signingIn;
    await app.clearKvFaults();
    const sessions = await sessionsOf(user.id);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions).toEqual(sessions.map(() => ({ live: false, kvCopy: false })));
  });
});

describe("the emulator's webhooks, end to end", () => {
  it("banning a signed-in user in the emulator signs their browser out", async () => {
    const user = SEED_USERS[1];
    if (!user) throw new Error("the emulator has no second test user");
    const jar = new CookieJar();
    await signInThroughEmulator(app, jar, { userId: user.id });
    expect((await app.fetch("/private", { jar })).status).toBe(200);
    const { emulator } = clerkApp.clerk;
    emulator.configure({
      webhooks: {
        url: `${APP_ORIGIN}/webhooks/clerk`,
        secret: SECRET,
        fetch: async (request) =>
          app.fetch(new URL(request.url).pathname, {
            method: "POST",
            headers: Object.fromEntries(request.headers),
            body: await request.text(),
          }),
      },
    });
    try {
      expect(await emulator.updateUser(user.id, { banned: true })).toMatchObject({ status: 200 });
    } finally {
      emulator.configure({ webhooks: null });
      await emulator.updateUser(user.id, { banned: false });
    }
    const after = await app.fetch("/private", { jar });
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
  });
});

describe("POST /webhooks/clerk without CLERK_WEBHOOK_SIGNING_SECRET", () => {
  let bare: AppHarness;
  beforeAll(async () => {
    bare = await startApp(validBindings());
  });
  afterAll(() => bare.close());

  it("answers 503 naming the missing secret and processes nothing", async () => {
    const { idHash } = await plantSession(bare, SESSION_SECRET, { id: nextId() });
    const body = event("user.deleted", { object: "user", id: ADA.id, deleted: true });
    const seconds = Math.floor(Date.now() / 1000);
    const response = await bare.fetch("/webhooks/clerk", {
      method: "POST",
      headers: {
        "svix-id": "msg_unconfigured",
        "svix-timestamp": String(seconds),
        "svix-signature": await signWebhook(SECRET, "msg_unconfigured", seconds, body),
      },
      body,
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("CLERK_WEBHOOK_SIGNING_SECRET");
    const row = await (await bare.db())
      .prepare("SELECT ended_at FROM sessions WHERE id_hash = ?")
      .bind(idHash)
      .first<{ ended_at: number | null }>();
    expect(row?.ended_at).toBeNull();
    expect(await (await bare.kv()).get(`session:${idHash}`)).not.toBeNull();
  });
});

// Last in the file: its hundreds of calls through Miniflare's proxy unsettle apps started after it.
describe("POST /webhooks/clerk for a user holding 150 live sessions, from before the cap", () => {
  const MANY = 150;
  async function plantMany(id: string) {
    const user = { ...ADA, id };
    const kv = await app.kv();
    const hashes: string[] = [];
    for (let index = 0; index < MANY; index++) {
      const id = nextId();
      const { idHash } = await plantSession(app, SESSION_SECRET, {
        id,
        user,
        handle: `h-${id}`,
        kvCopy: false,
      });
      // One KV binding for all copies: Miniflare's proxy is not made for hundreds of bindings.
      await kv.put(
        `session:${idHash}`,
        JSON.stringify({ user, expiresAt: Date.now() + 3_600_000 }),
      );
      hashes.push(idHash);
    }
    return { user, hashes };
  }

  /** The user fields and liveness of the user's sessions at the authority, in one query. */
  async function rowsOf(userId: string) {
    const { results } = await (await app.db())
      .prepare("SELECT ended_at, user_json FROM sessions WHERE user_id = ?")
      .bind(userId)
      .all<{ ended_at: number | null; user_json: string }>();
    return results.map((row) => ({
      live: row.ended_at === null,
      user: JSON.parse(row.user_json),
    }));
  }

  /** Polls until every KV copy satisfies `done` (copies past the first step follow the answer). */
  async function untilCopies(hashes: string[], done: (copy: unknown) => boolean) {
    const kv = await app.kv();
    for (let tries = 0; tries < 100; tries++) {
      let pending = false;
      // One read at a time: a burst of parallel reads through Miniflare's proxy is not needed.
      for (const hash of hashes) {
        if (!done(await kv.get(`session:${hash}`, "json"))) {
          pending = true;
          break;
        }
      }
      if (!pending) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the KV copies did not follow the authority");
  }

  it("user.updated reaches every one, though a statement binds at most 100 parameters", async () => {
    const { user, hashes } = await plantMany("user_2manySessionsUpdated000000");
    const renamed = clerkUser(user, { first_name: "Many", updated_at: Date.now() });
    const response = await deliver(event("user.updated", renamed));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed", sessions: MANY });
    const rows = await rowsOf(user.id);
    expect(rows).toHaveLength(MANY);
    for (const row of rows) expect(row.user).toMatchObject({ firstName: "Many" });
    await untilCopies(
      hashes,
      (copy) => (copy as { user?: { firstName?: string } } | null)?.user?.firstName === "Many",
    );
  });

  it("user.deleted ends every one at once; KV copies follow in steps, at most 30 revocations", async () => {
    const { user, hashes } = await plantMany("user_2manySessionsDeleted000000");
    const revokedBefore = revocations();
    const body = event("user.deleted", { object: "user", id: user.id, deleted: true });
    const response = await deliver(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed", sessions: MANY });
    const rows = await rowsOf(user.id);
    expect(rows).toHaveLength(MANY);
    for (const row of rows) expect(row.live).toBe(false);
    await untilCopies(hashes, (copy) => copy === null);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const revoked = revocations() - revokedBefore;
    expect(revoked).toBeGreaterThan(0);
    // A request on the Workers Free plan may make 50 fetches: Clerk's calls need room too.
    expect(revoked).toBeLessThanOrEqual(30);
  });
});
