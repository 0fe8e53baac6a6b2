import { readdirSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { COMPATIBILITY_DATE } from "./compatibility-date";
import type { CookieJar } from "./cookie-jar";
import type { D1Fault, KvFault, Ops } from "./ops-counting/instrument";
import { type AppLog, workerdLogs } from "./workerd-logs";

export const APP_ORIGIN = "http://127.0.0.1:8788";
const ROOT = new URL("../..", import.meta.url).pathname;
const BUNDLES = {
  pages: join(ROOT, ".wrangler/test/pages/index.js"),
  counting: join(ROOT, ".wrangler/test/pages-counting/index.js"),
};
const REACT_ROUTER_SERVER = join(ROOT, ".wrangler/test/react-router");
const REACT_ROUTER_CLIENT = join(ROOT, "examples/react-router/build/client");

/**
 * Which app the integration tests run against: the Remix app on Pages (default), or the React
 * Router example on Workers when APP_UNDER_TEST=react-router (the `integration-react-router`
 * vitest project). Both must pass the same behaviour tests.
 */
export const APP_UNDER_TEST: "remix" | "react-router" =
  process.env.APP_UNDER_TEST === "react-router" ? "react-router" : "remix";

/** The single-fetch data URL of the root loader on `/`: each framework names it its own way. */
export const ROOT_DATA = APP_UNDER_TEST === "react-router" ? "/_.data" : "/_root.data";
const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".txt": "text/plain",
  ".json": "application/json",
};

export type Bindings = Record<string, string>;

export interface AppHarness {
  mf: Miniflare;
  /** Sends one request to the app as a browser would, without following redirects. */
  fetch(path: string, init?: RequestInit & { jar?: CookieJar }): Promise<Response>;
  kv(): Promise<KVNamespace>;
  db(): Promise<D1Database>;
  /** KV and D1 calls made by the app since the last reset (counting bundle only). */
  ops(): Promise<Ops>;
  resetOps(): Promise<void>;
  /** Makes SESSION_KV's `fault.op` stall and/or throw until cleared (counting bundle only). */
  injectKvFault(fault: KvFault): Promise<void>;
  clearKvFaults(): Promise<void>;
  /** Makes SESSION_DB statements matching `fault.match` stall and/or throw (counting bundle only). */
  injectD1Fault(fault: D1Fault): Promise<void>;
  clearD1Faults(): Promise<void>;
  /** Runs the Worker's `scheduled` handler as a cron trigger would (Workers target only). */
  scheduled(cron?: string): Promise<void>;
  /** Moves the app's clock `ms` ahead (adding up), or back to real time (counting bundle only). */
  advanceClock(ms: number): Promise<void>;
  resetClock(): Promise<void>;
  /**
   * The warnings and errors the app logged since the last clear. Errors also reach console.error
   * as "[app] …", where the console guard fails a test that did not expect them.
   */
  logs(): AppLog[];
  clearLogs(): void;
  close(): Promise<void>;
}

/**
 * The Worker the React Router example deploys (build/server: index.js and its chunks), behind the
 * test-only counting entry when `counting`, with its static files served by the assets layer.
 */
function reactRouterWorker(counting: boolean) {
  const chunks = readdirSync(join(REACT_ROUTER_SERVER, "assets")).filter((f) => f.endsWith(".js"));
  const main = counting ? "counting.js" : "index.js";
  const others = [...(counting ? ["index.js"] : []), ...chunks.map((f) => `assets/${f}`)];
  return {
    modulesRoot: REACT_ROUTER_SERVER,
    modules: [main, ...others].map((file) => ({
      type: "ESModule" as const,
      path: join(REACT_ROUTER_SERVER, file),
    })),
    assets: { directory: REACT_ROUTER_CLIENT, routerConfig: { has_user_worker: true } },
  };
}

/**
 * The app under test in workerd via Miniflare, with a real local KV namespace and D1 database: the
 * built Pages functions bundle (the exact file `wrangler pages deploy` uploads) with a Pages-like
 * ASSETS binding over ./public, or the React Router example's Worker (see APP_UNDER_TEST).
 * `counting` puts the test-only KV and D1 instruments around either.
 */
export async function startApp(
  bindings: Bindings,
  {
    bundle = "pages" as keyof typeof BUNDLES,
    app = APP_UNDER_TEST as "remix" | "react-router",
  } = {},
): Promise<AppHarness> {
  const logs = workerdLogs();
  const worker =
    app === "react-router"
      ? reactRouterWorker(bundle === "counting")
      : {
          modules: [{ type: "ESModule" as const, path: BUNDLES[bundle] }],
          serviceBindings: { ASSETS: serveAsset },
        };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...worker,
      compatibilityDate: COMPATIBILITY_DATE,
      ...logs.options,
      kvNamespaces: ["SESSION_KV"],
      d1Databases: ["SESSION_DB"],
      bindings,
    }),
  );
  await mf.ready;
  const db = (await mf.getD1Database("SESSION_DB")) as unknown as D1Database;
  await applyMigrations(db);
  return {
    mf,
    fetch: fetchAsBrowser(mf),
    kv: () => mf.getKVNamespace("SESSION_KV") as unknown as Promise<KVNamespace>,
    db: async () => db,
    async ops() {
      return (await instrument(mf, "GET", "/__ops")) as Ops;
    },
    async resetOps() {
      await instrument(mf, "DELETE", "/__ops");
    },
    async injectKvFault(fault) {
      await instrument(mf, "POST", "/__faults/kv", fault);
    },
    async clearKvFaults() {
      await instrument(mf, "DELETE", "/__faults/kv");
    },
    async injectD1Fault(fault) {
      await instrument(mf, "POST", "/__faults/d1", fault);
    },
    async clearD1Faults() {
      await instrument(mf, "DELETE", "/__faults/d1");
    },
    async scheduled(cron = "17 * * * *") {
      const result = await (await mf.getWorker()).scheduled({ cron });
      if (result.outcome !== "ok") throw new Error(`scheduled ended with ${result.outcome}`);
    },
    async advanceClock(ms) {
      await instrument(mf, "POST", "/__clock", { advanceMs: ms });
    },
    async resetClock() {
      await instrument(mf, "DELETE", "/__clock");
    },
    logs: logs.logs,
    clearLogs: logs.clear,
    close: () => mf.dispose(),
  };
}

/**
 * Sends requests to a Miniflare app as a browser would, at APP_ORIGIN, without following
 * redirects, carrying and updating a cookie jar when given one.
 */
export function fetchAsBrowser(mf: Miniflare): AppHarness["fetch"] {
  return async (path, { jar, headers, ...init } = {}) => {
    const merged = new Headers(headers as HeadersInit | undefined);
    if (jar?.header()) merged.set("Cookie", jar.header());
    // Miniflare's Host header names its own loopback port and cannot be set. A browser's Host
    // matches the URL, and Remix's action check reads X-Forwarded-Host first, so say it there.
    if (!merged.has("X-Forwarded-Host")) merged.set("X-Forwarded-Host", new URL(APP_ORIGIN).host);
    const response = (await mf.dispatchFetch(new URL(path, APP_ORIGIN).href, {
      ...(init as object),
      headers: Object.fromEntries(merged),
      redirect: "manual",
    })) as unknown as Response;
    jar?.absorb(response);
    return response;
  };
}

/** Calls one endpoint of the counting bundle's test instruments; throws unless it answers 200. */
async function instrument(mf: Miniflare, method: string, path: string, body?: unknown) {
  const response = await mf.dispatchFetch(`${APP_ORIGIN}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${method} ${path} answered ${response.status} (only startApp(…, { bundle: "counting" }) serves it): ${text.slice(0, 200)}`,
    );
  }
  return JSON.parse(text) as unknown;
}

/** Applies the auth package's migrations in order, as `wrangler d1 migrations apply` does; Miniflare does not. */
export async function applyMigrations(db: D1Database): Promise<void> {
  const dir = join(ROOT, "packages/clerk-edge-auth/migrations");
  const files = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  for (const file of files) {
    const sql = await readFile(join(dir, file), "utf8");
    const statements = sql
      .split("\n")
      .filter((line) => !line.trim().startsWith("--"))
      .join("\n")
      .split(";")
      .map((statement) => statement.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    // One asynchronous exec (one statement per line) rather than a prepare per statement: every
    // synchronous call through Miniflare's Node-side proxy is a blocking round trip, and under a
    // loaded machine those are what occasionally fail while an app is starting.
    await db.exec(statements.join("\n"));
  }
}

async function serveAsset(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const file = normalize(join(ROOT, "public", decodeURIComponent(pathname)));
  if (!file.startsWith(join(ROOT, "public")) || pathname.endsWith("/")) {
    return new Response("Not found", { status: 404 });
  }
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    return new Response(body, { headers: { "Content-Type": type } });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
