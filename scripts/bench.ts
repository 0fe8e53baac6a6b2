// `npm run bench`: what authentication costs per request. Builds the app, then measures bundle
// sizes, worker startup, KV operations per request type and throughput signed out vs signed in
// through `wrangler pages dev`; writes docs/performance.md, prints the table and, as its last line,
// the signed-in/signed-out ratios. Exits non-zero when a target is missed. Not part of `npm test`.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { startClerkEmulator } from "../test/clerk-emulator/server";
import { DEFAULT_CLIENT, DEFAULT_SECRET_KEY, SEED_USERS } from "../test/clerk-emulator/emulator";
import { SESSION_SECRET, validBindings } from "../test/support/bindings";
import { CookieJar } from "../test/support/cookie-jar";
import type { KvOps } from "../test/support/kv-ops-counter";
import {
  type AppFetch,
  KV_SCENARIOS,
  type KvScenario,
  measureKvOpsPerRequest,
  signIn,
} from "../test/support/kv-ops-scenarios";
import { freePort, startPagesDev } from "../test/support/pages-dev";
import { quietWranglerEnv } from "./quiet-wrangler-env.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const REPORT = join(ROOT, "docs/performance.md");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;
/** Signed-out and signed-in runs alternate this many times, so drift hits both alike. */
const ROUNDS = 3;
const STARTUP_SAMPLES = 5;
/** The whole bench takes about 2–3 minutes; this only catches a hang. */
const WATCHDOG_MS = 10 * 60_000;

const TARGETS = {
  reqRatio: 0.9,
  p99Ratio: 1.2,
  minifiedPagesGzipBytes: 200_000,
};

/** Exact KV calls per request type, as test/integration/kv-ops.test.ts pins them. */
const KV_TARGETS: Record<KvScenario, Partial<KvOps>> = {
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
const FREE_READS_PER_DAY = 100_000;
const FREE_WRITES_PER_DAY = 1_000;

// ---------------------------------------------------------------------------------------------
// Everything started here is stopped on exit, on failure and on SIGINT/SIGTERM.

const cleanups = new Set<() => Promise<void>>();

function onCleanup(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

async function cleanupAll(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    await cleanup().catch((error: unknown) => console.error("Cleanup failed:", error));
  }
}

let shuttingDown = false;
async function shutdown(code: number, reason: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.error(`\nbench: ${reason}; stopping what it started.`);
    await cleanupAll();
  }
  process.exit(code);
}

process.once("SIGINT", () => void shutdown(130, "interrupted"));
process.once("SIGTERM", () => void shutdown(143, "terminated"));

// ---------------------------------------------------------------------------------------------
// Commands: each in its own process group, so stopping one also stops wrangler's workerd.

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      resolve();
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Runs a command to completion and returns what it printed; throws with that output on failure. */
function runCommand(label: string, command: string, args: string[]): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: quietWranglerEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const forget = onCleanup(() => killGroup(child));
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      forget();
      if (code === 0) {
        console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        resolve(output);
      } else reject(new Error(`${label} failed (${code ?? signal}):\n${output}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Bundle size and startup.

interface Size {
  raw: number;
  gzip: number;
}

/** gzip -9, as TOOLCHAIN.md §5 measured; Cloudflare's own "gzip" figure uses another level. */
function sizeOf(files: string[]): Size {
  const body = Buffer.concat(files.map((file) => readFileSync(file)));
  return { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

function scriptsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(m?js|wasm)$/.test(name))
    .map((name) => join(dir, name));
}

interface Bundles {
  pages: Size;
  pagesMinified: Size;
  worker: Size;
  workerTotalUpload: string;
  pagesDir: string;
  pagesMinifiedDir: string;
}

async function buildBundles(scratch: string): Promise<Bundles> {
  const pagesDir = join(scratch, "pages");
  const pagesMinifiedDir = join(scratch, "pages-minified");
  const workerDir = join(scratch, "worker");
  await runCommand("pages functions bundle (what `pages deploy` uploads)", "npx", [
    "wrangler",
    "pages",
    "functions",
    "build",
    "--outdir",
    pagesDir,
  ]);
  await runCommand("pages functions bundle, minified", "npx", [
    "wrangler",
    "pages",
    "functions",
    "build",
    "--minify",
    "--outdir",
    pagesMinifiedDir,
  ]);
  const dryRun = await runCommand("workers deploy --dry-run, minified", "npx", [
    "wrangler",
    "deploy",
    "-c",
    "wrangler.workers.toml",
    "--minify",
    "--dry-run",
    "--outdir",
    workerDir,
  ]);
  const totalUpload = /Total Upload:[^\n]*/.exec(dryRun)?.[0];
  if (!totalUpload) throw new Error(`No "Total Upload" line in wrangler's output:\n${dryRun}`);
  return {
    pages: sizeOf(scriptsIn(pagesDir)),
    pagesMinified: sizeOf(scriptsIn(pagesMinifiedDir)),
    worker: sizeOf(scriptsIn(workerDir)),
    workerTotalUpload: totalUpload.trim(),
    pagesDir,
    pagesMinifiedDir,
  };
}

/** Milliseconds from `new Miniflare` to the body of the first response to GET /. */
async function timeToFirstResponse(options: MiniflareOptions): Promise<number> {
  const started = performance.now();
  const mf = new Miniflare(options);
  const forget = onCleanup(() => mf.dispose());
  try {
    const response = await mf.dispatchFetch("http://127.0.0.1:8788/");
    const body = await response.text();
    if (!response.ok) throw new Error(`Startup probe answered ${response.status}: ${body}`);
    return performance.now() - started;
  } finally {
    forget();
    await mf.dispose();
  }
}

/** The startup probe is a page, so no static file is ever asked for. */
const noAssets = () => new Response("Not found", { status: 404 });

function pagesWorker(dir: string): MiniflareOptions {
  return {
    // The bundles live in a temporary folder, outside the default modules root (the cwd).
    modulesRoot: dir,
    modules: [{ type: "ESModule", path: join(dir, "index.js") }],
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["SESSION_KV"],
    bindings: validBindings(),
    serviceBindings: { ASSETS: noAssets },
  };
}

const TRIVIAL_WORKER: MiniflareOptions = {
  modules: true,
  script: 'export default { fetch: () => new Response("ok") };',
  compatibilityDate: "2026-04-01",
};

interface Startup {
  pages: number;
  pagesMinified: number;
}

/**
 * What the bundle adds to a cold start: a fresh workerd with the bundle answering its first GET /
 * (signed out, a full SSR render), minus the same for a one-line worker measured right before it.
 * The median of the per-sample differences.
 */
async function measureStartup(bundles: Bundles): Promise<Startup> {
  const pages: number[] = [];
  const pagesMinified: number[] = [];
  for (let sample = 0; sample < STARTUP_SAMPLES; sample++) {
    const trivial = await timeToFirstResponse(TRIVIAL_WORKER);
    pages.push((await timeToFirstResponse(pagesWorker(bundles.pagesDir))) - trivial);
    const trivialAgain = await timeToFirstResponse(TRIVIAL_WORKER);
    pagesMinified.push(
      (await timeToFirstResponse(pagesWorker(bundles.pagesMinifiedDir))) - trivialAgain,
    );
  }
  console.log(`✔ startup, ${STARTUP_SAMPLES} samples`);
  return { pages: median(pages), pagesMinified: median(pagesMinified) };
}

// ---------------------------------------------------------------------------------------------
// Throughput through `wrangler pages dev`.

interface Histogram {
  average: number;
  total: number;
  p50: number;
  p99: number;
}

interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

type RunKind = "signedOut" | "signedIn" | "static";

interface Run {
  kind: RunKind;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

const RUN_LABELS: Record<RunKind, string> = {
  signedOut: "signed out",
  signedIn: "signed in",
  static: "static, the server's ceiling",
};

async function load(
  origin: string,
  path: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<AutocannonResult> {
  return autocannon({ url: origin + path, connections: CONNECTIONS, duration: seconds, headers });
}

async function measureThroughput(): Promise<Run[]> {
  // The emulator's client must list the callback of a port only known once pages dev runs, and
  // pages dev needs the emulator's origin first: reserve the emulator's port up front.
  const clerkPort = await freePort();
  const clerkOrigin = `http://127.0.0.1:${clerkPort}`;
  const pagesDev = await startPagesDev({
    SESSION_SECRET,
    CLERK_DOMAIN: clerkOrigin,
    CLERK_CLIENT_ID: DEFAULT_CLIENT.clientId,
    CLERK_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    CLERK_SECRET_KEY: DEFAULT_SECRET_KEY,
    CLERK_API_URL: clerkOrigin,
  });
  onCleanup(() => pagesDev.stop());
  const clerk = await startClerkEmulator({
    port: clerkPort,
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${pagesDev.origin}/auth/clerk/callback`] }],
  });
  onCleanup(() => clerk.close());
  console.log(`✔ wrangler pages dev on ${pagesDev.origin}, Clerk emulator on ${clerkOrigin}`);

  const browser: AppFetch = {
    async fetch(path, { jar, headers, ...init } = {}) {
      const merged = new Headers(headers);
      if (jar?.header()) merged.set("Cookie", jar.header());
      const response = await fetch(new URL(path, pagesDev.origin), {
        ...init,
        headers: merged,
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
      jar?.absorb(response);
      return response;
    },
  };
  const jar = new CookieJar();
  const callback = await signIn(browser, jar);
  await callback.arrayBuffer();
  const session = jar.get("__session");
  if (callback.status !== 302 || !session) {
    throw new Error(`Sign-in over HTTP failed: ${callback.status}\n${pagesDev.output()}`);
  }
  const cookie = { Cookie: `__session=${session}` };
  const check = await browser.fetch("/private", { headers: cookie });
  const page = await check.text();
  if (check.status !== 200 || !page.includes(SEED_USERS[0]?.id ?? "")) {
    throw new Error(`GET /private with the session cookie answered ${check.status}`);
  }

  await load(pagesDev.origin, "/", WARMUP_SECONDS);
  await load(pagesDev.origin, "/private", WARMUP_SECONDS, cookie);

  const plan: Array<{ kind: RunKind; path: string; headers?: Record<string, string> }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    plan.push(
      { kind: "signedOut", path: "/" },
      { kind: "signedIn", path: "/private", headers: cookie },
    );
  }
  plan.push({ kind: "static", path: "/robots.txt" });

  const runs: Run[] = [];
  for (const { kind, path, headers } of plan) {
    const result = await load(pagesDev.origin, path, SECONDS, headers);
    const run: Run = {
      kind,
      path,
      reqPerSec: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: result.requests.total - result.non2xx,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
    runs.push(run);
    console.log(
      `✔ ${path} ${RUN_LABELS[kind]}: ${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, ` +
        `p99 ${run.p99} ms, ${run.non2xx} non-2xx, ${run.errors} errors`,
    );
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// The report.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;
const count = (n: number) => Math.floor(n).toLocaleString("en-US");

function describeOps(ops: Partial<KvOps>): string {
  const parts = Object.entries(ops)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  return parts.length ? parts.join(", ") : "0 ops";
}

function sameOps(actual: KvOps, target: Partial<KvOps>): boolean {
  return (Object.keys(actual) as Array<keyof KvOps>).every(
    (kind) => actual[kind] === (target[kind] ?? 0),
  );
}

interface Row {
  area: string;
  measure: string;
  value: string;
  target: string;
  /** Undefined when the number has no target. */
  pass?: boolean;
}

interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  node: string;
  load: string;
}

function readMachine(): Machine {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    node: process.version,
    load: currentLoad(),
  };
}

function currentLoad(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

function buildRows(
  runs: Run[],
  ops: Record<KvScenario, KvOps>,
  bundles: Bundles,
  startup: Startup,
): { rows: Row[]; reqRatio: number; p99Ratio: number } {
  const rows: Row[] = [];
  runs.forEach((run, index) => {
    rows.push({
      area: "throughput",
      measure: `run ${index + 1}: GET ${run.path} (${RUN_LABELS[run.kind]})`,
      value: `${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms; ${count(run.ok)} 2xx, ${run.non2xx} non-2xx, ${run.errors} errors`,
      target: "only 2xx, no errors",
      pass: run.non2xx === 0 && run.errors === 0,
    });
  });
  const medianOf = (kind: RunKind, pick: (run: Run) => number) =>
    median(runs.filter((run) => run.kind === kind).map(pick));
  const out = {
    req: medianOf("signedOut", (r) => r.reqPerSec),
    p99: medianOf("signedOut", (r) => r.p99),
  };
  const inn = {
    req: medianOf("signedIn", (r) => r.reqPerSec),
    p99: medianOf("signedIn", (r) => r.p99),
  };
  for (const [kind, m] of [
    ["signedOut", out],
    ["signedIn", inn],
  ] as const) {
    rows.push({
      area: "throughput",
      measure: `median, ${RUN_LABELS[kind]} (${ROUNDS} runs)`,
      value: `${m.req.toFixed(0)} req/s, p99 ${m.p99} ms`,
      target: "—",
    });
  }
  const reqRatio = inn.req / out.req;
  const p99Ratio = inn.p99 / out.p99;
  rows.push(
    {
      area: "throughput",
      measure: "signed-in/signed-out req/s (medians)",
      value: `${reqRatio.toFixed(2)}x`,
      target: `≥ ${TARGETS.reqRatio}x`,
      pass: reqRatio >= TARGETS.reqRatio,
    },
    {
      area: "throughput",
      measure: "signed-in/signed-out p99 (medians)",
      value: `${p99Ratio.toFixed(2)}x`,
      target: `≤ ${TARGETS.p99Ratio}x`,
      pass: p99Ratio <= TARGETS.p99Ratio,
    },
  );

  for (const scenario of Object.keys(KV_SCENARIOS) as KvScenario[]) {
    rows.push({
      area: "KV ops",
      measure: KV_SCENARIOS[scenario],
      value: describeOps(ops[scenario]),
      target: `exactly ${describeOps(KV_TARGETS[scenario])}`,
      pass: sameOps(ops[scenario], KV_TARGETS[scenario]),
    });
  }
  const writes = (o: KvOps) => o.put + o.delete;
  const reads = (o: KvOps) => o.get + o.getWithMetadata + o.list;
  const perSignIn = writes(ops.callback) + writes(ops.signOut);
  const perView = reads(ops.signedInPrivate);
  rows.push(
    {
      area: "KV free plan",
      measure: `sign-ins per day (sign-in + sign-out: ${perSignIn} writes+deletes, of ${count(FREE_WRITES_PER_DAY)})`,
      value: perSignIn ? count(FREE_WRITES_PER_DAY / perSignIn) : "unlimited",
      target: "—",
    },
    {
      area: "KV free plan",
      measure: `token refreshes per day with nothing else writing (${writes(ops.tokenRefresh)} write each)`,
      value: writes(ops.tokenRefresh)
        ? count(FREE_WRITES_PER_DAY / writes(ops.tokenRefresh))
        : "unlimited",
      target: "—",
    },
    {
      area: "KV free plan",
      measure: `signed-in page views per day (${perView} read each, of ${count(FREE_READS_PER_DAY)})`,
      value: perView ? count(FREE_READS_PER_DAY / perView) : "unlimited",
      target: "—",
    },
  );

  rows.push(
    {
      area: "bundle",
      measure: "Pages upload (`pages functions build`, not minified, as `pages deploy` sends it)",
      value: `${bytes(bundles.pages.raw)} raw, ${bytes(bundles.pages.gzip)} gzip`,
      target: "—",
    },
    {
      area: "bundle",
      measure: "Pages bundle minified (`pages functions build --minify`)",
      value: `${bytes(bundles.pagesMinified.raw)} raw, ${bytes(bundles.pagesMinified.gzip)} gzip`,
      target: `≤ ${bytes(TARGETS.minifiedPagesGzipBytes)} gzip`,
      pass: bundles.pagesMinified.gzip <= TARGETS.minifiedPagesGzipBytes,
    },
    {
      area: "bundle",
      measure: "Workers script (`deploy -c wrangler.workers.toml --minify --dry-run`)",
      value: `${bytes(bundles.worker.raw)} raw, ${bytes(bundles.worker.gzip)} gzip; wrangler: ${bundles.workerTotalUpload}`,
      target: "—",
    },
    {
      area: "startup",
      measure: "Pages bundle, not minified: first response minus a trivial worker's (median of 5)",
      value: `${startup.pages.toFixed(0)} ms`,
      target: "—",
    },
    {
      area: "startup",
      measure: "Pages bundle, minified: same",
      value: `${startup.pagesMinified.toFixed(0)} ms`,
      target: "—",
    },
  );
  return { rows, reqRatio, p99Ratio };
}

function table(rows: Row[]): string {
  const result = (row: Row) => (row.pass === undefined ? "—" : row.pass ? "PASS" : "FAIL");
  return [
    "| area | measure | value | target | result |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) => `| ${row.area} | ${row.measure} | ${row.value} | ${row.target} | ${result(row)} |`,
    ),
  ].join("\n");
}

const READING_START = "<!-- reading:start (hand-written; npm run bench keeps this part) -->";
const READING_END = "<!-- reading:end -->";

function keptReading(): string {
  if (!existsSync(REPORT)) return "";
  const text = readFileSync(REPORT, "utf8");
  const start = text.indexOf(READING_START);
  const end = text.indexOf(READING_END);
  return start >= 0 && end > start ? text.slice(start + READING_START.length, end).trim() : "";
}

function writeReport(machine: Machine, rows: Row[], loadAtEnd: string): void {
  const report = `# Performance: what authentication costs per request

Generated by \`npm run bench\` (scripts/bench.ts); the numbers below come from the run of ${machine.date}.

- Machine: ${machine.cpus} CPUs (nproc), ${machine.cpuModel}; Node ${machine.node}; load average at start ${machine.load}, at the end ${loadAtEnd} (other work on the machine shows up here, and in the throughput numbers).
- Throughput: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up per URL, against \`wrangler pages dev\` on the production build (its own KV folder, the Clerk emulator in the bench process). Signed-out \`GET /\` and signed-in \`GET /private\` alternate ${ROUNDS} times, then static \`GET /robots.txt\` (excluded from the function by \`public/_routes.json\`) shows the local server's own ceiling. Load generator, wrangler's proxy and workerd share the CPUs: these are relative numbers, not production ones.
- KV ops: each request type once against the Pages bundle behind a counting SESSION_KV proxy, in workerd via Miniflare (test/support/kv-ops-scenarios.ts, pinned by test/integration/kv-ops.test.ts). Free plan: ${count(FREE_READS_PER_DAY)} reads and ${count(FREE_WRITES_PER_DAY)} writes+deletes a day.
- Bundle: gzip -9 of the emitted scripts (source maps excluded); wrangler's "Total Upload" line is its own figure, in KiB.
- Startup: time from \`new Miniflare()\` to the body of the first \`GET /\` (signed out, a full server render), minus the same for a one-line worker measured just before; median of ${STARTUP_SAMPLES} samples.

${table(rows)}

## Reading

${READING_START}
${keptReading()}
${READING_END}
`;
  writeFileSync(REPORT, report);
}

// ---------------------------------------------------------------------------------------------

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

  const { rows, reqRatio, p99Ratio } = buildRows(runs, ops, bundles, startup);
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

main().then(
  (code) => process.exit(code),
  (error: unknown) =>
    void shutdown(1, error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
