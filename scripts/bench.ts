// `npm run bench`: what authentication costs per request. Builds the app, then measures bundle
// sizes, worker startup, KV operations per request type and throughput signed out vs signed in
// through `wrangler pages dev`; writes docs/performance.md, prints the table and, as its last line,
// the signed-in/signed-out ratios. Exits non-zero when a target is missed. Not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureKvOpsPerRequest } from "../test/support/kv-ops-scenarios";
import { buildBundles } from "./bench/bundles";
import { currentLoad, readMachine } from "./bench/machine";
import { cleanupAll, onCleanup, runCommand, shutdown, shutdownOnSignals } from "./bench/processes";
import { table, writeReport } from "./bench/report";
import { buildRows } from "./bench/rows";
import { REPORT } from "./bench/settings";
import { measureSessionCost } from "./bench/session-cost";
import { measureStartup } from "./bench/startup";
import { measureThroughput } from "./bench/throughput";

/** The whole bench takes about 2–3 minutes; this only catches a hang. */
const WATCHDOG_MS = 10 * 60_000;

async function main(): Promise<number> {
  const machine = readMachine();
  const watchdog = setTimeout(() => void shutdown(1, "took too long"), WATCHDOG_MS);
  watchdog.unref();
  const scratch = mkdtempSync(join(tmpdir(), "bench-"));
  onCleanup(async () => rmSync(scratch, { recursive: true, force: true }));

  await runCommand("remix build and the test bundles (scripts/build-test.mjs)", "node", [
    "scripts/build-test.mjs",
  ]);
  const bundles = await buildBundles(scratch);
  const startup = await measureStartup(bundles);
  const ops = await measureKvOpsPerRequest();
  console.log("✔ KV operations per request type");
  const runs = await measureThroughput();
  const cost = await measureSessionCost();
  console.log("✔ where a signed-in view's cost goes");

  const { rows, reqRatio, p99Ratio } = buildRows(runs, cost, ops, bundles, startup);
  writeReport(machine, rows, currentLoad());
  await cleanupAll();

  const missed = rows.filter((row) => row.pass === false);
  console.log(`\n${table(rows)}\n\nWrote ${REPORT}\n`);
  const verdict = missed.length
    ? `targets missed: ${missed.map((row) => row.measure).join("; ")}`
    : "all targets met";
  console.log(
    `signed-in/signed-out: ${reqRatio.toFixed(2)}x req/s, ${p99Ratio.toFixed(2)}x p99 — ${verdict}`,
  );
  return missed.length ? 1 : 0;
}

shutdownOnSignals();
main().then(
  (code) => process.exit(code),
  (error: unknown) =>
    void shutdown(1, error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
