import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const REPORT = join(ROOT, "docs/performance.md");

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
if (!(SECONDS > 0)) throw new Error("BENCH_SECONDS must be a positive number of seconds");
// workerd and wrangler's proxy need a few seconds of traffic before they reach steady speed.
export const WARMUP_SECONDS = 5;
export const CONNECTIONS = 10;
/** Signed-out and signed-in runs alternate this many times, so drift hits both alike. */
export const ROUNDS = 4;
export const STARTUP_SAMPLES = 5;
