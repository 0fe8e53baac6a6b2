import { readConfig, SESSION_MAX_AGE_LIMIT_SECONDS } from "../config/config.server.js";
import type { Env } from "../env.js";
import { run } from "./session-authority.server.js";

/**
 * An ended row holds no token (ending clears them); it is kept a day, for support (when and why a
 * session ended), then deleted.
 */
export const ENDED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * Clerk (Svix) retries a webhook delivery for about a day; an id is kept three days, so a retry
 * always finds it and has no second effect.
 */
export const WEBHOOK_ID_RETENTION_MS = 3 * 24 * 60 * 60 * 1000;
/**
 * An account-end mark refuses sign-ins that began before it. No session, and so no sign-in in
 * flight, outlives the longest lifetime SESSION_MAX_AGE allows: past that, the mark guards nothing.
 */
export const SESSION_END_MARK_RETENTION_MS = SESSION_MAX_AGE_LIMIT_SECONDS * 1000;
/** Rows deleted per table per round: one round is one D1 batch, well within a request's limits. */
export const PRUNE_BATCH_SIZE = 500;
/** Rounds per scheduled run: at most this many batches, however far behind the tables are. */
export const PRUNE_MAX_ROUNDS = 20;
/** What a sign-in deletes after its response (Pages has no cron): small, so it costs little. */
export const SIGN_IN_PRUNE_BATCH_SIZE = 50;

/** How many rows one pruning deleted, by what they were. */
export interface PruneResult {
  /** Ended or expired sessions. */
  sessions: number;
  /** Webhook delivery ids past the retry window. */
  webhookDeliveries: number;
  /** Account-end marks no session can predate any more. */
  userSessionEnds: number;
}

/**
 * One bounded round: at most `limit` rows of each kind, in one batch. Live sessions are never
 * touched: a row goes only a day after it ended, or once it expired, and nothing reads either
 * kind as live.
 */
export async function pruneRound(db: D1Database, now: number, limit: number): Promise<PruneResult> {
  const bounded = (table: string, key: string, where: string) =>
    `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ?)`;
  const results = await run("prune", () =>
    db.batch([
      db
        .prepare(bounded("sessions", "id_hash", "ended_at < ?"))
        .bind(now - ENDED_SESSION_RETENTION_MS, limit),
      db.prepare(bounded("sessions", "id_hash", "expires_at <= ?")).bind(now, limit),
      db
        .prepare(bounded("webhook_deliveries", "svix_id", "received_at < ?"))
        .bind(now - WEBHOOK_ID_RETENTION_MS, limit),
      db
        .prepare(bounded("user_session_ends", "user_id", "ended_at < ?"))
        .bind(now - SESSION_END_MARK_RETENTION_MS, limit),
    ]),
  );
  const changes = (index: number) => results[index]?.meta.changes ?? 0;
  return {
    sessions: changes(0) + changes(1),
    webhookDeliveries: changes(2),
    userSessionEnds: changes(3),
  };
}

/**
 * Deletes ended and expired sessions, webhook ids past Clerk's retry window and account-end marks
 * no session can predate, in bounded rounds until none is left or `maxRounds` ran. The Workers
 * entries call it from their `scheduled` handler (a cron trigger); on Pages, which has no cron,
 * every sign-in runs one small round after its response.
 * @throws {ConfigError} when the bindings are missing or malformed.
 */
export async function pruneSessions(
  env: Env,
  {
    now = Date.now(),
    batchSize = PRUNE_BATCH_SIZE,
    maxRounds = PRUNE_MAX_ROUNDS,
  }: { now?: number; batchSize?: number; maxRounds?: number } = {},
): Promise<PruneResult> {
  const db = readConfig(env).sessionDb;
  const total: PruneResult = { sessions: 0, webhookDeliveries: 0, userSessionEnds: 0 };
  for (let round = 0; round < maxRounds; round++) {
    const pruned = await pruneRound(db, now, batchSize);
    total.sessions += pruned.sessions;
    total.webhookDeliveries += pruned.webhookDeliveries;
    total.userSessionEnds += pruned.userSessionEnds;
    const full = Math.max(pruned.sessions / 2, pruned.webhookDeliveries, pruned.userSessionEnds);
    if (full < batchSize) break;
  }
  return total;
}
