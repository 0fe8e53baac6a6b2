// Test-only instruments for SESSION_KV and SESSION_DB, run inside workerd by the ops-counting
// middleware: each binding call is counted, and KV and D1 calls can be made to fail or stall on
// demand.
// State lives in module scope, which Miniflare keeps for the whole life of its single isolate.
//
// Endpoints (answered before the app sees the request):
//   GET /__ops             → { kv: KvOps, d1: D1Ops }: the calls since the last reset
//   DELETE /__ops          → resets the counts, answers them (all zero)
//   POST /__faults/kv      body KvFault, e.g. {"op":"put","fail":true} or {"op":"get","hangMs":500}:
//                          from now on every SESSION_KV `op` call waits `hangMs` (default 0), then
//                          throws when `fail` is true, else runs; one fault per op, the last wins
//   DELETE /__faults/kv    → clears every KV fault
//   POST /__faults/d1      body D1Fault, e.g. {"match":"webhook_deliveries","hangMs":4000}: from now
//                          on every SESSION_DB statement whose SQL contains `match` (and every batch
//                          holding one): with `fail`, waits `hangMs` (default 0) and throws without
//                          running; without, runs at once and answers `hangMs` later, so past the
//                          app's deadline the call is slow but lands (its effect is stored, the app
//                          gave up on the answer); `times` limits how many calls meet it; faults add
//                          up, the first that matches wins
//   DELETE /__faults/d1    → clears every D1 fault
//   POST /__clock          body {"advanceMs": n}: moves the isolate's clock (Date.now) n ms ahead
//                          of real time, adding up, so tests can let sessions idle or expire
//   DELETE /__clock        → back to real time
// Each answers 200 with JSON; a malformed fault answers 400.

/** KV calls by method. */
export interface KvOps {
  get: number;
  put: number;
  delete: number;
  list: number;
  getWithMetadata: number;
}

/**
 * D1 work: every statement run (`run`, `first`, `all`, `raw`, and each statement of a batch),
 * the `batch` calls among them, and the rows D1 reports read and written (what its free plan
 * counts; `raw()` reports none, so its rows are not counted).
 */
export interface D1Ops {
  statements: number;
  batches: number;
  rowsRead: number;
  rowsWritten: number;
}

export interface Ops {
  kv: KvOps;
  d1: D1Ops;
}

export type FaultableKvOp = "get" | "put" | "delete";

export interface KvFault {
  op: FaultableKvOp;
  /** Milliseconds to wait before the call runs or fails. */
  hangMs?: number;
  /** Throw instead of running the call. */
  fail?: boolean;
}

export interface D1Fault {
  /** A fragment of the SQL text (case-insensitive) naming the statements that meet the fault. */
  match: string;
  hangMs?: number;
  fail?: boolean;
  /** How many calls meet the fault before it is spent; default every call. */
  times?: number;
}

const zeroKv = (): KvOps => ({ get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0 });
const zeroD1 = (): D1Ops => ({ statements: 0, batches: 0, rowsRead: 0, rowsWritten: 0 });

const ops: Ops = { kv: zeroKv(), d1: zeroD1() };
const faults = new Map<FaultableKvOp, KvFault>();
const FAULTABLE: readonly string[] = ["get", "put", "delete"] satisfies FaultableKvOp[];
const d1Faults: D1Fault[] = [];

const INSTRUMENTED = Symbol("instrumented");
type Instrumented = { [INSTRUMENTED]?: true };

async function applyFault(op: string): Promise<void> {
  const fault = faults.get(op as FaultableKvOp);
  if (!fault) return;
  if (fault.hangMs) await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
  if (fault.fail) throw new Error(`KV ${op} failed (fault injected by the test)`);
}

/**
 * Runs `call` through the first D1 fault any of `queries` matches, spending one of its `times`:
 * a failing fault never runs it, a slow one runs it at once and answers late.
 */
async function withD1Fault<T>(queries: string[], call: () => Promise<T>): Promise<T> {
  const lower = queries.map((query) => query.toLowerCase());
  const index = d1Faults.findIndex((fault) =>
    lower.some((query) => query.includes(fault.match.toLowerCase())),
  );
  const fault = d1Faults[index];
  if (!fault) return call();
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) d1Faults.splice(index, 1);
  }
  const wait = () => new Promise((resolve) => setTimeout(resolve, fault.hangMs ?? 0));
  if (fault.fail) {
    await wait();
    throw new Error("D1_ERROR: fault injected by the test");
  }
  const result = await call();
  await wait();
  return result;
}

/** Wraps a KV binding so each call is counted, then meets any injected fault. Idempotent. */
export function instrumentKv(kv: KVNamespace): KVNamespace {
  if ((kv as Instrumented)[INSTRUMENTED]) return kv;
  return new Proxy(kv, {
    get(target, property, receiver) {
      if (property === INSTRUMENTED) return true;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (property in ops.kv) ops.kv[property as keyof KvOps] += 1;
        if (typeof property === "string" && FAULTABLE.includes(property)) {
          await applyFault(property);
        }
        return value.apply(target, args);
      };
    },
  });
}

function countMeta(meta: { rows_read?: number; rows_written?: number } | undefined): void {
  ops.d1.rowsRead += meta?.rows_read ?? 0;
  ops.d1.rowsWritten += meta?.rows_written ?? 0;
}

/** The real statements behind counted ones, so `batch` gets what D1 built. */
const realStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

/** The SQL text of counted statements, for D1 faults. */
const queries = new WeakMap<D1PreparedStatement, string>();

function countingStatement(statement: D1PreparedStatement, query: string): D1PreparedStatement {
  const counted: D1PreparedStatement = Object.assign(Object.create(statement), {
    bind: (...values: unknown[]) => countingStatement(statement.bind(...values), query),
    async run() {
      ops.d1.statements += 1;
      const result = await withD1Fault([query], () => statement.run());
      countMeta(result.meta);
      return result;
    },
    async all() {
      ops.d1.statements += 1;
      const result = await withD1Fault([query], () => statement.all());
      countMeta(result.meta);
      return result;
    },
    // D1's `first` answers no meta; `all` runs the same query and does.
    async first(column?: string) {
      ops.d1.statements += 1;
      const result = await withD1Fault([query], () => statement.all<Record<string, unknown>>());
      countMeta(result.meta);
      const row = result.results[0];
      if (row === undefined) return null;
      if (column === undefined) return row;
      if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
      return row[column];
    },
    async raw(options?: { columnNames?: boolean }) {
      ops.d1.statements += 1;
      return withD1Fault([query], () => statement.raw(options as { columnNames: true }));
    },
  });
  realStatements.set(counted, statement);
  queries.set(counted, query);
  return counted;
}

/** Wraps a D1 binding so each statement and batch is counted with the rows it touched. Idempotent. */
export function instrumentD1(db: D1Database): D1Database {
  if ((db as Instrumented)[INSTRUMENTED]) return db;
  return Object.assign(Object.create(db), {
    [INSTRUMENTED]: true,
    prepare: (query: string) => countingStatement(db.prepare(query), query),
    async batch(statements: D1PreparedStatement[]) {
      ops.d1.batches += 1;
      ops.d1.statements += statements.length;
      const results = await withD1Fault(
        statements.map((statement) => queries.get(statement) ?? ""),
        () => db.batch(statements.map((s) => realStatements.get(s) ?? s)),
      );
      for (const result of results) countMeta(result.meta);
      return results;
    },
    async exec(query: string) {
      const result = await db.exec(query);
      ops.d1.statements += result.count;
      return result;
    },
  });
}

function isKvFault(value: unknown): value is KvFault {
  if (typeof value !== "object" || value === null) return false;
  const { op, hangMs, fail } = value as Record<string, unknown>;
  return (
    typeof op === "string" &&
    FAULTABLE.includes(op) &&
    (hangMs === undefined || (typeof hangMs === "number" && hangMs >= 0)) &&
    (fail === undefined || typeof fail === "boolean")
  );
}

function isD1Fault(value: unknown): value is D1Fault {
  if (typeof value !== "object" || value === null) return false;
  const { match, hangMs, fail, times } = value as Record<string, unknown>;
  return (
    typeof match === "string" &&
    match !== "" &&
    (hangMs === undefined || (typeof hangMs === "number" && hangMs >= 0)) &&
    (fail === undefined || typeof fail === "boolean") &&
    (times === undefined || (typeof times === "number" && times > 0))
  );
}

const realNow = Date.now.bind(Date);
let clockOffsetMs = 0;

/** Moves Date.now for the whole isolate: the app reads time nowhere else. */
function advanceClock(ms: number | null): void {
  clockOffsetMs = ms === null ? 0 : clockOffsetMs + ms;
  Date.now = clockOffsetMs === 0 ? realNow : () => realNow() + clockOffsetMs;
}

/** Answers the test endpoints above; null for every other request. */
export async function instrumentEndpoint(request: Request): Promise<Response | null> {
  const { pathname } = new URL(request.url);
  if (pathname === "/__ops") {
    if (request.method === "DELETE") {
      ops.kv = zeroKv();
      ops.d1 = zeroD1();
    }
    return Response.json(ops);
  }
  if (pathname === "/__faults/kv") {
    if (request.method === "DELETE") faults.clear();
    else if (request.method === "POST") {
      const fault: unknown = await request.json().catch(() => null);
      if (!isKvFault(fault)) return Response.json({ error: "expected a KvFault" }, { status: 400 });
      faults.set(fault.op, fault);
    }
    return Response.json({ faults: [...faults.values()] });
  }
  if (pathname === "/__clock") {
    if (request.method === "DELETE") advanceClock(null);
    else if (request.method === "POST") {
      const body: unknown = await request.json().catch(() => null);
      const advanceMs = (body as { advanceMs?: unknown } | null)?.advanceMs;
      if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs) || advanceMs < 0) {
        return Response.json({ error: "expected {advanceMs: n >= 0}" }, { status: 400 });
      }
      advanceClock(advanceMs);
    }
    return Response.json({ offsetMs: clockOffsetMs, now: Date.now() });
  }
  if (pathname === "/__faults/d1") {
    if (request.method === "DELETE") d1Faults.length = 0;
    else if (request.method === "POST") {
      const fault: unknown = await request.json().catch(() => null);
      if (!isD1Fault(fault)) return Response.json({ error: "expected a D1Fault" }, { status: 400 });
      d1Faults.push({ ...fault });
    }
    return Response.json({ faults: d1Faults });
  }
  return null;
}
