// Test-only Pages middleware: instruments SESSION_KV and SESSION_DB so tests and the benchmark can
// count real KV and D1 operations in workerd and inject KV faults (endpoints in ../instrument.ts).
// scripts/build-test.mjs builds it into a bundle of its own; it never ships.
import { instrumentD1, instrumentEndpoint, instrumentKv } from "../instrument";

export const onRequest: PagesFunction<{ SESSION_KV: KVNamespace; SESSION_DB: D1Database }> = async (
  context,
) => {
  const answered = await instrumentEndpoint(context.request);
  if (answered) return answered;
  context.env.SESSION_KV = instrumentKv(context.env.SESSION_KV);
  if (context.env.SESSION_DB) context.env.SESSION_DB = instrumentD1(context.env.SESSION_DB);
  return context.next();
};
