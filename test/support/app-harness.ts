import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { Miniflare } from "miniflare";
import type { CookieJar } from "./cookie-jar";
import type { KvOps } from "./kv-ops-counter";

export const APP_ORIGIN = "http://127.0.0.1:8788";
const ROOT = new URL("../..", import.meta.url).pathname;
const BUNDLES = {
  pages: join(ROOT, ".wrangler/test/pages/index.js"),
  counting: join(ROOT, ".wrangler/test/pages-counting/index.js"),
};
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
  /** KV calls made by the app since the last reset (counting bundle only). */
  kvOps(): Promise<KvOps>;
  resetKvOps(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The built Pages functions bundle (the exact file `wrangler pages deploy` uploads) in workerd via
 * Miniflare, with a real local KV namespace and a Pages-like ASSETS binding over ./public.
 */
export async function startApp(
  bindings: Bindings,
  { bundle = "pages" as keyof typeof BUNDLES } = {},
): Promise<AppHarness> {
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: BUNDLES[bundle] }],
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["SESSION_KV"],
    bindings,
    serviceBindings: { ASSETS: serveAsset },
  });
  await mf.ready;
  return {
    mf,
    async fetch(path, { jar, headers, ...init } = {}) {
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
    },
    kv: () => mf.getKVNamespace("SESSION_KV") as unknown as Promise<KVNamespace>,
    async kvOps() {
      const response = await mf.dispatchFetch(`${APP_ORIGIN}/__kv-ops`);
      return (await response.json()) as KvOps;
    },
    async resetKvOps() {
      await (await mf.dispatchFetch(`${APP_ORIGIN}/__kv-ops`, { method: "DELETE" })).arrayBuffer();
    },
    close: () => mf.dispose(),
  };
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
