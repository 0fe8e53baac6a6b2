// Test-only Pages middleware: wraps SESSION_KV so tests and the benchmark can count real KV
// operations in workerd, and serves the counts at /__kv-ops. It is built into a separate bundle
// (see scripts/build-test.mjs) and never ships.
import { countingKv, kvOpsEndpoint } from "../../kv-ops-counter";

export const onRequest: PagesFunction<{ SESSION_KV: KVNamespace }> = async (context) => {
  const counted = kvOpsEndpoint(context.request);
  if (counted) return counted;
  context.env.SESSION_KV = countingKv(context.env.SESSION_KV);
  return context.next();
};
