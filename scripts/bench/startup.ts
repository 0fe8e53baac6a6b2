import { join } from "node:path";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { validBindings } from "../../test/support/bindings";
import type { Bundles } from "./bundles";
import { median } from "./median";
import { onCleanup } from "./processes";
import { STARTUP_SAMPLES } from "./settings";

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

export interface Startup {
  pages: number;
  pagesMinified: number;
}

/**
 * What the bundle adds to a cold start: a fresh workerd with the bundle answering its first GET /
 * (signed out, a full SSR render), minus the same for a one-line worker measured right before it.
 * The median of the per-sample differences.
 */
export async function measureStartup(bundles: Bundles): Promise<Startup> {
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
