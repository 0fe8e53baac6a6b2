// Measurements in workerd without wrangler's proxy: where a signed-in view's cost goes, and what
// the bundle adds to a cold start.
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { startApp } from "../../test/support/app-harness";
import { COMPATIBILITY_DATE } from "../../test/support/compatibility-date";
import { SESSION_SECRET, validBindings } from "../../test/support/bindings";
import { plantSession } from "../../test/support/session-fixture";
import { onStop } from "../run.mjs";
import type { Bundles } from "./bundles";
import { CONNECTIONS, COST_REQUESTS, COST_ROUNDS, STARTUP_SAMPLES, median } from "./settings";

/** Requests per second of GET / with four kinds of cookie, each adding one step of reading a session. */
export interface SessionCost {
  signedOut: number;
  /** A cookie whose signature fails: the HMAC check, nothing else. */
  badSignature: number;
  /** A valid cookie of a session neither store knows: HMAC, a KV get that misses, a D1 lookup. */
  unknownSession: number;
  /** A live session: HMAC, one KV get, and the signed-in page. */
  signedIn: number;
}

const WARMUP_REQUESTS = 200;

/**
 * The Pages bundle in Miniflare, `CONNECTIONS` requests at a time, the four kinds interleaved over
 * several rounds so drift hits them alike.
 */
export async function measureSessionCost(): Promise<SessionCost> {
  const app = await startApp(validBindings());
  const forget = onStop(() => app.close());
  try {
    const valid = await plantSession(app, SESSION_SECRET);
    const forged = await plantSession(app, "not-the-session-secret", { id: "9".repeat(32) });
    const unknown = await plantSession(app, SESSION_SECRET, { id: "8".repeat(32), kvCopy: false });
    const db = await app.db();
    await db.prepare("DELETE FROM sessions WHERE id_hash = ?").bind(unknown.idHash).run();
    const cookies: Record<keyof SessionCost, string | null> = {
      signedOut: null,
      badSignature: forged.cookie,
      unknownSession: unknown.cookie,
      signedIn: valid.cookie,
    };
    const burst = async (cookie: string | null, requests: number): Promise<number> => {
      const started = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent++ < requests) {
          const response = await app.fetch("/", { headers: cookie ? { Cookie: cookie } : {} });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`GET / answered ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      return performance.now() - started;
    };
    const kinds = Object.keys(cookies) as Array<keyof SessionCost>;
    for (const kind of kinds) await burst(cookies[kind], WARMUP_REQUESTS);
    const elapsed = { signedOut: 0, badSignature: 0, unknownSession: 0, signedIn: 0 };
    for (let round = 0; round < COST_ROUNDS; round++) {
      for (const kind of kinds) elapsed[kind] += await burst(cookies[kind], COST_REQUESTS);
    }
    const perSecond = (ms: number) => (COST_REQUESTS * COST_ROUNDS) / (ms / 1000);
    return {
      signedOut: perSecond(elapsed.signedOut),
      badSignature: perSecond(elapsed.badSignature),
      unknownSession: perSecond(elapsed.unknownSession),
      signedIn: perSecond(elapsed.signedIn),
    };
  } finally {
    forget();
    await app.close();
  }
}

/** Milliseconds from `new Miniflare` to the body of the first response to GET /. */
async function timeToFirstResponse(options: V4MiniflareOptions): Promise<number> {
  const started = performance.now();
  const mf = new Miniflare(convertV4MiniflareOptions(options));
  const forget = onStop(() => mf.dispose());
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

export interface Startup {
  pages: number;
  pagesMinified: number;
}

/**
 * What the bundle adds to a cold start: a fresh workerd with the bundle answering its first GET /
 * (signed out, a full server render), minus the same for a one-line worker measured right before
 * it. The median of the per-sample differences.
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
