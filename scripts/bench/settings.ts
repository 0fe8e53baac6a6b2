// What the bench measures for how long, what it must reach, and what the free plans allow.
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;

/**
 * BENCH_SMOKE=1 proves the bench works in about a minute (2 s runs, one round, one sample) and
 * writes its report under test-output/ instead of docs/: its numbers mean nothing.
 */
export const SMOKE = process.env.BENCH_SMOKE === "1";
export const REPORT = join(
  ROOT,
  SMOKE ? "test-output/performance-smoke.md" : "docs/performance.md",
);

export const SECONDS = SMOKE ? 2 : 10;
// workerd and wrangler's proxy need a few seconds of traffic before they reach steady speed.
export const WARMUP_SECONDS = SMOKE ? 1 : 5;
export const CONNECTIONS = 10;
/** Signed-out and signed-in runs alternate this many times, so drift hits both alike. */
export const ROUNDS = SMOKE ? 1 : 4;
export const STARTUP_SAMPLES = SMOKE ? 1 : 5;
/** Session-cost rounds (all four cookie kinds each round) and requests per kind and round. */
export const COST_ROUNDS = SMOKE ? 1 : 6;
export const COST_REQUESTS = SMOKE ? 50 : 300;

export const TARGETS = {
  /** Signed-in over signed-out requests per second, medians of the alternating runs. */
  reqRatio: 0.95,
  /** Signed-in over signed-out p99 latency, medians of the alternating runs. */
  p99Ratio: 1.15,
  minifiedPagesGzipBytes: 200_000,
};

/**
 * Cloudflare's free plan, per day. KV counts reads (a read that finds nothing counts too),
 * writes, deletes and lists separately; D1 counts rows read and rows written, and holds 5 GB.
 */
export const FREE_PLAN = {
  kvReads: 100_000,
  kvWrites: 1_000,
  kvDeletes: 1_000,
  kvLists: 1_000,
  d1RowsRead: 5_000_000,
  d1RowsWritten: 100_000,
  d1StorageBytes: 5_000_000_000,
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
