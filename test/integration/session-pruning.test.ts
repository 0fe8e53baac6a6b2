import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_UNDER_TEST } from "../support/app-harness";
import { SESSION_SECRET } from "../support/bindings";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { ADA, plantSession } from "../support/session-fixture";
import { signInThroughEmulator } from "../support/sign-in-flow";

const DAY = 86_400_000;
const LIVE_IDS = ["11111111111111111111111111111111", "22222222222222222222222222222222"];

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp({ bundle: "counting" });
});
afterAll(() => env.close());

/**
 * Fills the authority with `dead` sessions of Ada's ended two days ago, one ended an hour ago,
 * `dead` expired ones, `dead` webhook ids
 * past the retry window and a few within it, old and recent account-end marks, and two live
 * sessions of Ada's; returns a cookie for one of the live ones.
 */
async function fill(dead: number): Promise<string> {
  const db = await env.app.db();
  await db.exec(
    "DELETE FROM sessions; DELETE FROM webhook_deliveries; DELETE FROM user_session_ends;",
  );
  const now = Date.now();
  await db.batch([
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO sessions (id_hash, handle, user_id, user_json, access_token, created_at,
           expires_at, ended_at, ended_reason)
         SELECT 'ended' || i, 'h-ended' || i, ?2, ?3, '', ?4 - ${3 * DAY}, ?4 + ${DAY},
           ?4 - ${2 * DAY}, 'signed_out' FROM n`,
      )
      .bind(dead, ADA.id, JSON.stringify(ADA), now),
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO sessions (id_hash, handle, user_id, user_json, access_token, created_at,
           expires_at)
         SELECT 'expired' || i, 'h-expired' || i, ?2, ?3, 'sealed:v1:x', ?4 - ${8 * DAY},
           ?4 - ${DAY} FROM n`,
      )
      .bind(dead, ADA.id, JSON.stringify(ADA), now),
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO webhook_deliveries (svix_id, event_type, received_at)
         SELECT 'msg_old' || i, 'user.updated', ?2 - ${4 * DAY} FROM n`,
      )
      .bind(dead, now),
    // Ended an hour ago: kept a day, for support.
    db
      .prepare(
        `INSERT INTO sessions (id_hash, handle, user_id, user_json, access_token, created_at,
           expires_at, ended_at, ended_reason)
         VALUES ('lately-ended', 'h-lately-ended', ?1, ?2, '', ?3 - ${DAY}, ?3 + ${DAY},
           ?3 - 3600000, 'signed_out')`,
      )
      .bind(ADA.id, JSON.stringify(ADA), now),
    db
      .prepare(
        `INSERT INTO webhook_deliveries (svix_id, event_type, received_at) VALUES
           ('msg_recent1', 'user.updated', ?1 - ${DAY}), ('msg_recent2', 'user.deleted', ?1)`,
      )
      .bind(now),
    db
      .prepare(
        `INSERT INTO user_session_ends (user_id, ended_at) VALUES
           ('user_gone_long_ago', ?1 - ${31 * DAY}), ('user_gone_lately', ?1 - ${DAY})`,
      )
      .bind(now),
  ]);
  let cookie = "";
  for (const id of LIVE_IDS) {
    cookie = (await plantSession(env.app, SESSION_SECRET, { id, handle: `live-${id.slice(0, 4)}` }))
      .value;
  }
  return cookie;
}

async function counts() {
  const db = await env.app.db();
  const count = async (sql: string) =>
    Number((await db.prepare(sql).first<{ n: number }>())?.n ?? Number.NaN);
  return {
    live: await count(
      "SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at > unixepoch() * 1000",
    ),
    ended: await count("SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL"),
    expired: await count(
      "SELECT count(*) AS n FROM sessions WHERE expires_at <= unixepoch() * 1000",
    ),
    oldWebhookIds: await count(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE svix_id LIKE 'msg_old%'",
    ),
    recentWebhookIds: await count(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE svix_id LIKE 'msg_recent%'",
    ),
    marks: await count("SELECT count(*) AS n FROM user_session_ends"),
  };
}

beforeEach(() => env.clerk.emulator.reset());

describe("pruning the session database", () => {
  it("a sign-in deletes a small bounded batch after its response, keeping every live row and the lately ended", async () => {
    const cookie = await fill(120);
    const jar = new CookieJar();
    const { callback } = await signInThroughEmulator(env.app, jar);
    expect(callback.status).toBe(302);
    await expect.poll(async () => (await counts()).ended, { timeout: 5000 }).toBe(71);
    expect(await counts()).toEqual({
      // The two planted sessions and the new sign-in.
      live: 3,
      ended: 71,
      expired: 70,
      oldWebhookIds: 70,
      recentWebhookIds: 2,
      marks: 1,
    });
    // The device list shows the live sessions alone, never an ended or pruned one.
    const planted = new CookieJar();
    planted.set("__session", cookie);
    const list = await (await env.app.fetch("/account/sessions", { jar: planted })).text();
    expect(list.match(/class="session"/g)).toHaveLength(LIVE_IDS.length);
  });

  // Pages has no cron: the Remix app's Workers entry runs the same pruning (deploy-targets test),
  // and here the React Router Worker's `scheduled` does.
  if (APP_UNDER_TEST === "react-router")
    it("the Worker's cron trigger deletes every expired row and every row ended over a day ago, in bounded batches, keeping every live row", async () => {
      await fill(1200);
      await env.app.resetOps();
      await env.app.scheduled();
      expect(await counts()).toEqual({
        live: 2,
        ended: 1,
        expired: 0,
        oldWebhookIds: 0,
        recentWebhookIds: 2,
        marks: 1,
      });
      // 1,200 of each kind at 500 a statement: three rounds, each one batch.
      const { d1 } = await env.app.ops();
      expect(d1.batches).toBe(3);
      expect(d1.statements).toBe(12);
    });
});
