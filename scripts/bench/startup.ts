// What the bundle adds to a cold start, in wall time and in workerd's CPU time.
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { validBindings } from "../../test/support/bindings";
import { COMPATIBILITY_DATE } from "../../test/support/compatibility-date";
import { onStop } from "../run.mjs";
import type { Bundles } from "./bundles";
import { lifetimeCpuMs, newWorkerd, workerdChildren } from "./process-cpu";
import { STARTUP_SAMPLES, median } from "./settings";

interface FirstResponse {
  /** From `new Miniflare` to the body of the first response to GET /. */
  ms: number;
  /** workerd's CPU over the same span: starting, loading the worker, the first response. */
  cpuMs: number;
}

async function firstResponse(options: V4MiniflareOptions): Promise<FirstResponse> {
  const before = workerdChildren();
  const started = performance.now();
  const mf = new Miniflare(convertV4MiniflareOptions(options));
  const forget = onStop(() => mf.dispose());
  try {
    const response = await mf.dispatchFetch("http://127.0.0.1:8788/");
    const body = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`Startup probe answered ${response.status}: ${body}`);
    return { ms, cpuMs: lifetimeCpuMs(newWorkerd(before)) };
  } finally {
    forget();
    await mf.dispose();
  }
}

/** The startup probe is a page, so no static file is ever asked for. */
const noAssets = () => new Response("Not found", { status: 404 });

function pagesWorker(dir: string): V4MiniflareOptions {
  return {
    // The bundles live in a temporary folder, outside the default modules root (the cwd).
    modulesRoot: dir,
    modules: [{ type: "ESModule", path: join(dir, "index.js") }],
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ["SESSION_KV"],
    d1Databases: ["SESSION_DB"],
    bindings: validBindings(),
    serviceBindings: { ASSETS: noAssets },
  };
}

const TRIVIAL_WORKER: V4MiniflareOptions = {
  modules: true,
  script: 'export default { fetch: () => new Response("ok") };',
  compatibilityDate: COMPATIBILITY_DATE,
};

/** A bundle's first response minus a trivial worker's, medians of the per-sample differences. */
export interface StartupCost {
  ms: number;
  cpuMs: number;
}

export interface Startup {
  pages: StartupCost;
  pagesMinified: StartupCost;
}

/**
 * What the bundle adds to a cold start: a fresh workerd with the bundle answering its first GET /
 * (signed out, a full server render), minus the same for a one-line worker measured right before
 * it.
 */
export async function measureStartup(bundles: Bundles): Promise<Startup> {
  const samples = { pages: [] as FirstResponse[], pagesMinified: [] as FirstResponse[] };
  for (let sample = 0; sample < STARTUP_SAMPLES; sample++) {
    for (const [kind, dir] of [
      ["pages", bundles.pagesDir],
      ["pagesMinified", bundles.pagesMinifiedDir],
    ] as const) {
      const trivial = await firstResponse(TRIVIAL_WORKER);
      const bundle = await firstResponse(pagesWorker(dir));
      samples[kind].push({ ms: bundle.ms - trivial.ms, cpuMs: bundle.cpuMs - trivial.cpuMs });
    }
  }
  console.log(`✔ startup, ${STARTUP_SAMPLES} samples`);
  const cost = (of: FirstResponse[]): StartupCost => ({
    ms: median(of.map((s) => s.ms)),
    cpuMs: median(of.map((s) => s.cpuMs)),
  });
  return { pages: cost(samples.pages), pagesMinified: cost(samples.pagesMinified) };
}
