// The built Pages bundle in Miniflare behind a bench-only entry module, so the bench can measure
// the app against what it cannot avoid: a floor (the same workerd, Miniflare and wrapper answering
// without the app) and a control (the signed-out page plus the one KV read a signed-in view needs).
// The wrapper lives only here; the app knows nothing of it.
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { type Bindings, applyMigrations, fetchAsBrowser } from "../../test/support/app-harness";
import { COMPATIBILITY_DATE } from "../../test/support/compatibility-date";
import type { CookieJar } from "../../test/support/cookie-jar";
import { workerdLogs } from "../../test/support/workerd-logs";
import { onStop } from "../run.mjs";
import { newWorkerd, workerdChildren } from "./process-cpu";

/** The wrapper reads this header's value as a KV key and `get`s it first (500 if nothing is there). */
export const KV_GET_HEADER = "X-Bench-Kv-Get";
/** The wrapper then runs one D1 query that reads a session row (500 if there is none). */
export const D1_READ_HEADER = "X-Bench-D1-Read";
/** The wrapper then answers a request with this header itself, without running any of the app. */
export const FLOOR_HEADER = "X-Bench-Floor";

const ENTRY = `import app from "./index.js";

export default {
  async fetch(request, env, ctx) {
    const key = request.headers.get("${KV_GET_HEADER}");
    if (key !== null && (await env.SESSION_KV.get(key, "text")) === null) {
      return new Response("bench: no KV record under the key given", { status: 500 });
    }
    if (
      request.headers.has("${D1_READ_HEADER}") &&
      (await env.SESSION_DB.prepare("SELECT id_hash FROM sessions LIMIT 1").first()) === null
    ) {
      return new Response("bench: no session row in D1", { status: 500 });
    }
    if (request.headers.has("${FLOOR_HEADER}")) return new Response("floor");
    return app.fetch(request, env, ctx);
  },
};
`;

/**
 * Pages' ASSETS as the app meets it on every path it serves: no file. It reads the body first:
 * Remix hands ASSETS a clone of each request, and in workerd a POST whose clone is never read
 * hangs before the app answers it.
 */
const NO_ASSETS =
  'export default { async fetch(request) { await request.arrayBuffer(); return new Response("Not found", { status: 404 }); } };';

export interface BenchApp {
  /** One request as a browser would send it, without following redirects. */
  fetch(path: string, init?: RequestInit & { jar?: CookieJar }): Promise<Response>;
  kv(): Promise<KVNamespace>;
  db(): Promise<D1Database>;
  /** The workerd process that runs this instance, for its CPU time. */
  workerdPid: number;
  close(): Promise<void>;
}

/**
 * `bundleDir/index.js` (a `pages functions build` output) behind the wrapper, with local KV and D1
 * (migrations applied) and an ASSETS binding that finds no file, as Pages' does for every path the
 * app serves: a small worker in the same workerd, so no request leaves the process for Node.
 */
export async function startBenchApp(bundleDir: string, bindings: Bindings): Promise<BenchApp> {
  const before = workerdChildren();
  const logs = workerdLogs();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...logs.options,
      workers: [
        {
          name: "app",
          modulesRoot: bundleDir,
          modules: [
            { type: "ESModule", path: join(bundleDir, "bench-entry.mjs"), contents: ENTRY },
            { type: "ESModule", path: join(bundleDir, "index.js") },
          ],
          compatibilityDate: COMPATIBILITY_DATE,
          kvNamespaces: ["SESSION_KV"],
          d1Databases: ["SESSION_DB"],
          bindings,
          serviceBindings: { ASSETS: "no-assets" },
        },
        {
          name: "no-assets",
          modules: true,
          script: NO_ASSETS,
          compatibilityDate: COMPATIBILITY_DATE,
        },
      ],
    }),
  );
  const forget = onStop(() => mf.dispose());
  await mf.ready;
  const workerdPid = newWorkerd(before);
  const db = (await mf.getD1Database("SESSION_DB")) as unknown as D1Database;
  await applyMigrations(db);
  return {
    fetch: fetchAsBrowser(mf),
    kv: () => mf.getKVNamespace("SESSION_KV") as unknown as Promise<KVNamespace>,
    db: async () => db,
    workerdPid,
    async close() {
      forget();
      await mf.dispose();
    },
  };
}
