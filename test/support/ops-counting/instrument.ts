// Test-only instruments for SESSION_KV and SESSION_DB, run inside workerd by the ops-counting
// middleware: each binding call is counted, and KV calls can be made to fail or stall on demand.
// State lives in module scope, which Miniflare keeps for the whole life of its single isolate.
//
// Endpoints (answered before the app sees the request):
//   GET /__ops             → { kv: KvOps, d1: D1Ops }: the calls since the last reset
//   DELETE /__ops          → resets the counts, answers them (all zero)
//   POST /__faults/kv      body KvFault, e.g. {"op":"put","fail":true} or {"op":"get","hangMs":500}:
//                          from now on every SESSION_KV `op` call waits `hangMs` (default 0), then
//                          throws when `fail` is true, else runs; one fault per op, the last wins
//   DELETE /__faults/kv    → clears every KV fault
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

const zeroKv = (): KvOps => ({ get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0 });
const zeroD1 = (): D1Ops => ({ statements: 0, batches: 0, rowsRead: 0, rowsWritten: 0 });

const ops: Ops = { kv: zeroKv(), d1: zeroD1() };
const faults = new Map<FaultableKvOp, KvFault>();
const FAULTABLE: readonly string[] = ["get", "put", "delete"] satisfies FaultableKvOp[];

const INSTRUMENTED = Symbol("instrumented");
type Instrumented = { [INSTRUMENTED]?: true };

async function applyFault(op: string): Promise<void> {
  const fault = faults.get(op as FaultableKvOp);
  if (!fault) return;
  if (fault.hangMs) await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
  if (fault.fail) throw new Error(`KV ${op} failed (fault injected by the test)`);
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

function countingStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const counted: D1PreparedStatement = Object.assign(Object.create(statement), {
    bind: (...values: unknown[]) => countingStatement(statement.bind(...values)),
    async run() {
      ops.d1.statements += 1;
      const result = await statement.run();
      countMeta(result.meta);
      return result;
    },
    async all() {
      ops.d1.statements += 1;
      const result = await statement.all();
      countMeta(result.meta);
      return result;
    },
    // D1's `first` answers no meta; `all` runs the same query and does.
    async first(column?: string) {
      ops.d1.statements += 1;
      const result = await statement.all<Record<string, unknown>>();
      countMeta(result.meta);
      const row = result.results[0];
      if (row === undefined) return null;
      if (column === undefined) return row;
      if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
      return row[column];
    },
    raw(options?: { columnNames?: boolean }) {
      ops.d1.statements += 1;
      return statement.raw(options as { columnNames: true });
    },
  });
  realStatements.set(counted, statement);
  return counted;
}

/** Wraps a D1 binding so each statement and batch is counted with the rows it touched. Idempotent. */
export function instrumentD1(db: D1Database): D1Database {
  if ((db as Instrumented)[INSTRUMENTED]) return db;
  return Object.assign(Object.create(db), {
    [INSTRUMENTED]: true,
    prepare: (query: string) => countingStatement(db.prepare(query)),
    async batch(statements: D1PreparedStatement[]) {
      ops.d1.batches += 1;
      ops.d1.statements += statements.length;
      const results = await db.batch(statements.map((s) => realStatements.get(s) ?? s));
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
  return null;
}
