// `npm run bench`: what authentication costs per request. Builds the app, then measures bundle
// sizes, worker startup, KV and D1 operations per request type, throughput signed out vs signed
// in through `wrangler pages dev` (each with its own local KV and D1, migrations applied), the
// signed-in view against a control in workerd, workerd's CPU per request type, and the Remix app
// beside the React Router example (signed-in/signed-out in workerd, bundle size); writes
// docs/performance.md, prints the table, a PASS/FAIL line per target and, as its last line, the
// signed-in/signed-out ratios. Exits non-zero when a target is missed. Not part of `npm test`. BENCH_SMOKE=1: a quick check
// that it works (see scripts/bench/settings.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureOpsPerRequest } from "../test/support/ops-scenarios";
import { buildBundles } from "./bench/bundles";
import { measureCpu } from "./bench/cpu";
import { measureFrameworks, reactRouterBundleGzip } from "./bench/frameworks";
import { measureThroughput } from "./bench/http-load";
import { currentLoad, readMachine, table, verdicts, writeReport } from "./bench/report";
import { buildRows } from "./bench/rows";
import { measureSessionCost } from "./bench/session-cost";
import { REPORT } from "./bench/settings";
import { measureStartup } from "./bench/startup";
import { buildForTests } from "./build-test.mjs";
import { onStop, stopAll, stopOnSignals } from "./run.mjs";

/** The whole bench takes about 3–4 minutes; this only catches a hang. */
const WATCHDOG_MS = 10 * 60_000;

async function shutdown(code: number, reason: string): Promise<never> {
  console.error(`\nbench: ${reason}; stopping what it started.`);
  await stopAll();
  process.exit(code);
}

async function main(): Promise<number> {
  const machine = readMachine();
  const watchdog = setTimeout(() => void shutdown(1, "took too long"), WATCHDOG_MS);
  watchdog.unref();
  const scratch = mkdtempSync(join(tmpdir(), "bench-"));
  onStop(async () => rmSync(scratch, { recursive: true, force: true }));

  await buildForTests();
  const bundles = await buildBundles(scratch);
  const startup = await measureStartup(bundles);
  const ops = await measureOpsPerRequest();
  console.log("✔ KV and D1 operations per request type");
  const runs = await measureThroughput();
  const cost = await measureSessionCost(bundles.pagesDir);
  console.log("✔ where a signed-in view's cost goes, against its control");
  const cpu = await measureCpu(bundles.pagesDir);
  const frameworks = await measureFrameworks();

  const { rows, reqRatio, p99Ratio } = buildRows(
    runs,
    cost,
    cpu,
    ops,
    bundles,
    startup,
    frameworks,
    reactRouterBundleGzip(),
  );
  writeReport(machine, rows, currentLoad());
  await stopAll();

  const missed = rows.filter((row) => row.pass === false);
  console.log(`\n${table(rows)}\n\nWrote ${REPORT}\n\n${verdicts(rows)}\n`);
  const minified = rows.find((row) => row.measure.startsWith("Pages bundle minified"));
  console.log(`minified Pages bundle: ${minified?.value}`);
  const verdict = missed.length
    ? `targets missed: ${missed.map((row) => row.measure).join("; ")}`
    : "all targets met";
  console.log(
    `signed-in/signed-out: ${reqRatio.toFixed(2)}x req/s, ${p99Ratio.toFixed(2)}x p99 — ${verdict}`,
  );
  return missed.length ? 1 : 0;
}

stopOnSignals();
main().then(
  (code) => process.exit(code),
  (error: unknown) =>
    void shutdown(1, error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
