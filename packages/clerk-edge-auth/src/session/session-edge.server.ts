import { withDeadline } from "../utils/deadline.js";
import { errorName } from "../utils/request-facts.js";
import { type SessionView, parseJson, parseSessionView } from "./session-record.js";

/** KV refuses an expirationTtl below 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;
/**
 * A copy lives at most this long, however long its session: the bound on how long a copy whose
 * delete failed, or whose late write landed after a sign-out, can show an ended session. A live
 * session's expired copy is restored by the next view's read-through (one D1 read, one KV put).
 */
export const KV_COPY_MAX_TTL_SECONDS = 60 * 60;
/** A KV call past this is treated as failed, so a hung namespace cannot hold a page. */
const KV_DEADLINE_MS = 2000;
const KEY_PREFIX = "session:";

/** Why a KV read gave no view: nothing stored, or the call failed (logged once). */
export type EdgeRead = SessionView | "missing" | "failed";

/**
 * The edge copy: one KV record per live session, keyed by the hash of its id, holding only what a
 * page view shows. Every failure is logged as one line naming the operation, never a key or value,
 * and never thrown: the authority stays the source of truth.
 */
export function sessionEdge(kv: KVNamespace) {
  return {
    async read(idHash: string): Promise<EdgeRead> {
      try {
        // "text" and our own parse measured about a tenth faster per get than KV's "json".
        const text = await withDeadline("KV get", KV_DEADLINE_MS, () =>
          kv.get(KEY_PREFIX + idHash, "text"),
        );
        return text === null ? "missing" : (parseSessionView(parseJson(text)) ?? "missing");
      } catch (error) {
        logFailure("read", error);
        return "failed";
      }
    },

    async write(idHash: string, view: SessionView, now: number): Promise<boolean> {
      try {
        await withDeadline("KV put", KV_DEADLINE_MS, () =>
          kv.put(KEY_PREFIX + idHash, JSON.stringify(view), {
            expirationTtl: ttlSeconds(view.expiresAt, now),
          }),
        );
        return true;
      } catch (error) {
        logFailure("write", error);
        return false;
      }
    },

    async remove(idHash: string): Promise<boolean> {
      try {
        await withDeadline("KV delete", KV_DEADLINE_MS, () => kv.delete(KEY_PREFIX + idHash));
        return true;
      } catch (error) {
        logFailure("delete", error);
        return false;
      }
    },
  };
}

export type SessionEdge = ReturnType<typeof sessionEdge>;

/** The TTL for a copy of a session ending at `expiresAt`: within KV's floor and the copy's cap. */
export function ttlSeconds(expiresAt: number, now: number): number {
  const untilExpiry = Math.min(KV_COPY_MAX_TTL_SECONDS, Math.ceil((expiresAt - now) / 1000));
  return Math.max(KV_MIN_TTL_SECONDS, untilExpiry);
}

function logFailure(operation: string, error: unknown): void {
  console.error(`Session KV ${operation} failed (${errorName(error)})`);
}
