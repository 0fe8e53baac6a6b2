// The bench's findings as table rows: throughput, session cost against its control, CPU per request
// type, KV and D1 operations per request type with what the free plans allow a day, bundle size and
// startup.
import { isDeepStrictEqual } from "node:util";
import type { Ops } from "../../test/support/ops-counting/instrument";
import {
  type Measured,
  OPS_SCENARIOS,
  type OpsScenario,
  describeOps,
  full,
  spent,
} from "../../test/support/ops-scenarios";
import type { Bundles } from "./bundles";
import { CPU_TYPES, type CpuPerRequest, type CpuType } from "./cpu";
import { FRAMEWORKS, type Framework, type FrameworkCost } from "./frameworks";
import { type Run, RUN_LABELS, type RunKind } from "./http-load";
import type { SessionCost } from "./session-cost";
import { FREE_PLAN, ROUNDS, TARGETS, median } from "./settings";
import type { Startup } from "./startup";

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

function throughputRows(runs: Run[]): { rows: Row[]; reqRatio: number; p99Ratio: number } {
  const rows: Row[] = runs.map((run, index) => ({
    area: "throughput",
    measure: `run ${index + 1}: GET ${run.path} (${RUN_LABELS[run.kind]})`,
    value: `${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms; ${count(run.ok)} 2xx, ${run.non2xx} non-2xx, ${run.errors} errors`,
    target: "only 2xx, no errors",
    pass: run.non2xx === 0 && run.errors === 0,
  }));
  const medians = (kind: RunKind) => {
    const of = runs.filter((run) => run.kind === kind);
    return { req: median(of.map((r) => r.reqPerSec)), p99: median(of.map((r) => r.p99)) };
  };
  const out = medians("signedOut");
  const inn = medians("signedIn");
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

function sessionCostRows(cost: SessionCost): Row[] {
  const step = (measure: string, value: number): Row => ({
    area: "session cost",
    measure,
    value: `${value.toFixed(0)} req/s (${((value / cost.signedOut) * 100).toFixed(0)}% of signed out)`,
    target: "—",
  });
  // Time per request, so "3 %" means a signed-in view takes 3 % longer than the control.
  const overhead = cost.control / cost.signedIn - 1;
  return [
    step("GET / signed out, in workerd without wrangler's proxy", cost.signedOut),
    step(
      "control: signed out after one KV get of a live session's record (the bench's wrapper, not the app)",
      cost.control,
    ),
    step("+ HMAC check of a cookie (bad signature: no KV, no D1)", cost.badSignature),
    step(
      "+ a KV get that misses and a D1 lookup (valid cookie, unknown session)",
      cost.unknownSession,
    ),
    step("signed in: HMAC, one KV get, the signed-in page", cost.signedIn),
    {
      area: "session cost",
      measure: "signed in against the control: the app's own time beyond the one KV read",
      value: `${overhead >= 0 ? "+" : ""}${(overhead * 100).toFixed(1)} % time per request`,
      target: `≤ ${TARGETS.signedInOverControl * 100} %`,
      pass: overhead <= TARGETS.signedInOverControl,
    },
  ];
}

/** Page views, held to a tighter CPU target than the other request types. */
const VIEWS: readonly CpuType[] = ["signedOutView", "signedInHome", "signedInView", "data"];

function cpuRows(cpu: CpuPerRequest): Row[] {
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const types = Object.keys(CPU_TYPES) as CpuType[];
  const rows = types.map((type): Row => {
    const raw = cpu[type];
    if (type === "floor") {
      return {
        area: "cpu",
        measure: CPU_TYPES.floor,
        value: `${ms(raw)} workerd CPU`,
        target: "—",
      };
    }
    const above = raw - cpu.floor;
    const value = `${ms(raw)} workerd CPU, ${ms(above)} above the floor`;
    if (type === "control" || type === "kvGet" || type === "d1Read") {
      return { area: "cpu", measure: CPU_TYPES[type], value, target: "—" };
    }
    const limit = VIEWS.includes(type) ? TARGETS.viewCpuMs : FREE_PLAN.cpuMsPerRequest;
    return {
      area: "cpu",
      measure: CPU_TYPES[type],
      value,
      target: `≤ ${limit} ms above the floor`,
      pass: above <= limit,
    };
  });
  rows.push({
    area: "cpu",
    measure: "signed-in GET / minus the control: the app's own CPU beyond the one KV read",
    value: ms(cpu.signedInHome - cpu.control),
    target: "—",
  });
  return rows;
}

/** Each free-plan counter and how much of it one request uses. */
const COUNTERS: Array<{ name: string; limit: number; use: (ops: Ops) => number }> = [
  { name: "KV reads", limit: FREE_PLAN.kvReads, use: (o) => o.kv.get + o.kv.getWithMetadata },
  { name: "KV writes", limit: FREE_PLAN.kvWrites, use: (o) => o.kv.put },
  { name: "KV deletes", limit: FREE_PLAN.kvDeletes, use: (o) => o.kv.delete },
  { name: "KV lists", limit: FREE_PLAN.kvLists, use: (o) => o.kv.list },
  { name: "D1 rows read", limit: FREE_PLAN.d1RowsRead, use: (o) => o.d1.rowsRead },
  { name: "D1 rows written", limit: FREE_PLAN.d1RowsWritten, use: (o) => o.d1.rowsWritten },
];

/** How many of this request the free plan allows a day if nothing else ran, and which counter binds. */
function perDay(ops: Ops): string {
  const bounds = COUNTERS.filter((c) => c.use(ops) > 0).map((c) => ({
    name: c.name,
    perDay: c.limit / c.use(ops),
  }));
  if (!bounds.length) return "unlimited (no counted operation)";
  const tightest = bounds.reduce((a, b) => (b.perDay < a.perDay ? b : a));
  return `${count(tightest.perDay)} (bound by ${tightest.name})`;
}

function opsRows(measured: Record<OpsScenario, Measured>): Row[] {
  const scenarios = Object.keys(OPS_SCENARIOS) as OpsScenario[];
  const opsTable = scenarios.map((scenario): Row => {
    const { label, budget } = OPS_SCENARIOS[scenario];
    const result = measured[scenario];
    const target = `exactly ${describeOps(budget)}`;
    if (result.ops === undefined) {
      return {
        area: "KV & D1 ops",
        measure: label,
        value: `not measured: ${result.error}`,
        target,
        pass: false,
      };
    }
    const rows = `D1 rows ${result.ops.d1.rowsRead} read, ${result.ops.d1.rowsWritten} written`;
    return {
      area: "KV & D1 ops",
      measure: label,
      value: `${describeOps(spent(result.ops))}; ${rows}`,
      target,
      pass: isDeepStrictEqual(spent(result.ops), full(budget)),
    };
  });
  const freePlan = scenarios.flatMap((scenario): Row[] => {
    const ops = measured[scenario].ops;
    return ops
      ? [
          {
            area: "free plan",
            measure: `${OPS_SCENARIOS[scenario].label}, a day alone`,
            value: perDay(ops),
            target: "—",
          },
        ]
      : [];
  });
  return [...opsTable, ...freePlan];
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
    ...(
      [
        ["Pages bundle, not minified", startup.pages],
        ["Pages bundle, minified", startup.pagesMinified],
      ] as const
    ).flatMap(([bundle, cost]): Row[] => [
      {
        area: "startup",
        measure: `${bundle}: first response minus a trivial worker's, wall time (median)`,
        value: `${cost.ms.toFixed(0)} ms`,
        target: "—",
      },
      {
        area: "startup",
        measure: `${bundle}: first response minus a trivial worker's, workerd CPU (median)`,
        value: `${cost.cpuMs.toFixed(0)} ms`,
        target: `≤ ${TARGETS.startupCpuMs} ms`,
        pass: cost.cpuMs <= TARGETS.startupCpuMs,
      },
    ]),
  ];
}

const FRAMEWORK_LABELS: Record<Framework, string> = {
  remix: "Remix app (Pages bundle)",
  "react-router": "React Router example (Worker)",
};

function frameworkRows(
  frameworks: Record<Framework, FrameworkCost>,
  reactRouterBundle: { raw: number; gzip: number },
): Row[] {
  return [
    ...FRAMEWORKS.map((framework): Row => {
      const { signedOut, signedIn } = frameworks[framework];
      return {
        area: "two apps",
        measure: `${FRAMEWORK_LABELS[framework]}: GET / signed in against signed out, in workerd`,
        value: `${signedIn.toFixed(0)} vs ${signedOut.toFixed(0)} req/s = ${(signedIn / signedOut).toFixed(2)}x`,
        target: "—",
      };
    }),
    {
      area: "two apps",
      measure: "React Router example's Worker (build/server scripts, not minified)",
      value: `${bytes(reactRouterBundle.raw)} raw, ${bytes(reactRouterBundle.gzip)} gzip`,
      target: "—",
    },
  ];
}

export function buildRows(
  runs: Run[],
  cost: SessionCost,
  cpu: CpuPerRequest,
  ops: Record<OpsScenario, Measured>,
  bundles: Bundles,
  startup: Startup,
  frameworks: Record<Framework, FrameworkCost>,
  reactRouterBundle: { raw: number; gzip: number },
): { rows: Row[]; reqRatio: number; p99Ratio: number } {
  const throughput = throughputRows(runs);
  return {
    rows: [
      ...throughput.rows,
      ...sessionCostRows(cost),
      ...cpuRows(cpu),
      ...opsRows(ops),
      ...bundleRows(bundles, startup),
      ...frameworkRows(frameworks, reactRouterBundle),
    ],
    reqRatio: throughput.reqRatio,
    p99Ratio: throughput.p99Ratio,
  };
}
