import type { KvOps } from "../../test/support/kv-ops-counter";
import { KV_SCENARIOS, type KvScenario } from "../../test/support/kv-ops-scenarios";
import type { Bundles } from "./bundles";
import type { SessionCost } from "./session-cost";
import { median } from "./median";
import { ROUNDS } from "./settings";
import type { Startup } from "./startup";
import { FREE_READS_PER_DAY, FREE_WRITES_PER_DAY, KV_TARGETS, TARGETS } from "./targets";
import { RUN_LABELS, type Run, type RunKind } from "./throughput";

export interface Row {
  area: string;
  measure: string;
  value: string;
  target: string;
  /** Undefined when the number has no target. */
  pass?: boolean;
}

export const count = (n: number) => Math.floor(n).toLocaleString("en-US");
const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;

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

function throughputRows(runs: Run[]): { rows: Row[]; reqRatio: number; p99Ratio: number } {
  const rows: Row[] = runs.map((run, index) => ({
    area: "throughput",
    measure: `run ${index + 1}: GET ${run.path} (${RUN_LABELS[run.kind]})`,
    value: `${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms; ${count(run.ok)} 2xx, ${run.non2xx} non-2xx, ${run.errors} errors`,
    target: "only 2xx, no errors",
    pass: run.non2xx === 0 && run.errors === 0,
  }));
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
  return { rows, reqRatio, p99Ratio };
}

function kvRows(ops: Record<KvScenario, KvOps>): Row[] {
  const rows: Row[] = (Object.keys(KV_SCENARIOS) as KvScenario[]).map((scenario) => ({
    area: "KV ops",
    measure: KV_SCENARIOS[scenario],
    value: describeOps(ops[scenario]),
    target: `exactly ${describeOps(KV_TARGETS[scenario])}`,
    pass: sameOps(ops[scenario], KV_TARGETS[scenario]),
  }));
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
  return rows;
}

function bundleRows(bundles: Bundles, startup: Startup): Row[] {
  return [
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
  ];
}

function sessionCostRows(cost: SessionCost): Row[] {
  const step = (measure: string, value: number) => ({
    area: "session cost",
    measure,
    value: `${value.toFixed(0)} req/s (${((value / cost.signedOut) * 100).toFixed(0)}% of signed out)`,
    target: "—",
  });
  return [
    step("GET / signed out, in workerd without wrangler's proxy", cost.signedOut),
    step("+ HMAC check of a cookie (bad signature, no KV)", cost.badSignature),
    step("+ one KV get that misses (valid cookie, record gone)", cost.kvMiss),
    step("signed in: HMAC, one KV get, the signed-in page", cost.signedIn),
  ];
}

export function buildRows(
  runs: Run[],
  cost: SessionCost,
  ops: Record<KvScenario, KvOps>,
  bundles: Bundles,
  startup: Startup,
): { rows: Row[]; reqRatio: number; p99Ratio: number } {
  const throughput = throughputRows(runs);
  return {
    rows: [
      ...throughput.rows,
      ...sessionCostRows(cost),
      ...kvRows(ops),
      ...bundleRows(bundles, startup),
    ],
    reqRatio: throughput.reqRatio,
    p99Ratio: throughput.p99Ratio,
  };
}
