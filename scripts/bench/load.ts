import { createRequire } from "node:module";
import { CONNECTIONS } from "./settings";

interface Histogram {
  average: number;
  total: number;
  p50: number;
  p99: number;
}

export interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export async function load(
  origin: string,
  path: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<AutocannonResult> {
  return autocannon({ url: origin + path, connections: CONNECTIONS, duration: seconds, headers });
}
