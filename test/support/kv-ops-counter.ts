/** KV operations seen since the last reset, by kind. */
export interface KvOps {
  get: number;
  put: number;
  delete: number;
  list: number;
  getWithMetadata: number;
}

const ops: KvOps = { get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0 };
const KINDS = Object.keys(ops) as Array<keyof KvOps>;

/** Wraps a KV binding so each call is counted before it runs. Wrapping twice is harmless. */
export function countingKv(kv: KVNamespace): KVNamespace {
  if ((kv as { __counting?: true }).__counting) return kv;
  return new Proxy(kv, {
    get(target, property, receiver) {
      if (property === "__counting") return true;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (KINDS.includes(property as keyof KvOps)) ops[property as keyof KvOps] += 1;
        return value.apply(target, args);
      };
    },
  });
}

/** GET /__kv-ops answers the counts; DELETE /__kv-ops resets them. Other requests: null. */
export function kvOpsEndpoint(request: Request): Response | null {
  if (new URL(request.url).pathname !== "/__kv-ops") return null;
  if (request.method === "DELETE") for (const kind of KINDS) ops[kind] = 0;
  return Response.json(ops);
}
