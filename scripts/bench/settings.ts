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

/** CPU rounds (every request type each round), requests per type and round, and warm-up requests. */
export const CPU_ROUNDS = SMOKE ? 1 : 3;
export const CPU_REQUESTS = SMOKE ? 10 : 100;
export const CPU_WARMUP = SMOKE ? 3 : 20;

export const TARGETS = {
  /** Signed-in over signed-out requests per second, medians of the alternating runs. */
  reqRatio: 0.9,
  /** Signed-in over signed-out p99 latency, medians of the alternating runs. */
  p99Ratio: 1.15,
  minifiedPagesGzipBytes: 200_000,
  /**
   * A signed-in view's time per request beyond the control's (the signed-out page plus the one KV
   * read a signed-in view must do), in workerd without wrangler's proxy.
   */
  signedInOverControl: 0.03,
  /** CPU above the floor, per page view (signed out, signed in, client navigation), in ms. */
  viewCpuMs: 5,
  /**
   * Cold start: workerd CPU to the first response, minus a trivial worker's, in ms. Workers must
   * parse and run a script's global scope within a startup limit; 400 ms is the strictest figure
   * Cloudflare has published for it.
   */
  startupCpuMs: 400,
};

/**
 * Cloudflare's free plan: CPU per request, the rest per day. KV counts reads (a read that finds
 * nothing counts too), writes, deletes and lists separately; D1 counts rows read and rows written,
 * and holds 5 GB.
 */
export const FREE_PLAN = {
  kvReads: 100_000,
  kvWrites: 1_000,
  kvDeletes: 1_000,
  kvLists: 1_000,
  d1RowsRead: 5_000_000,
  d1RowsWritten: 100_000,
  d1StorageBytes: 5_000_000_000,
  /** CPU per request (the Worker's own JavaScript, not time spent waiting on I/O), in ms. */
  cpuMsPerRequest: 10,
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
