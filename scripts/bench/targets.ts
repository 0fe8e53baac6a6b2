import type { KvOps } from "../../test/support/kv-ops-counter";
import type { KvScenario } from "../../test/support/kv-ops-scenarios";

export const TARGETS = {
  reqRatio: 0.9,
  p99Ratio: 1.2,
  minifiedPagesGzipBytes: 200_000,
};

/** Exact KV calls per request type, as test/integration/kv-ops.test.ts pins them. */
export const KV_TARGETS: Record<KvScenario, Partial<KvOps>> = {
  signedOutView: {},
  signedInPrivate: { get: 1 },
  signedInHome: { get: 1 },
  signedInNavigation: { get: 1 },
  login: {},
  callback: { put: 1 },
  callbackAfterPreLoginSession: { put: 1, delete: 1 },
  signOut: { get: 1, delete: 1 },
  tokenRefresh: { get: 1, put: 1 },
};

/** Workers KV free plan, per day. */
export const FREE_READS_PER_DAY = 100_000;
export const FREE_WRITES_PER_DAY = 1_000;
