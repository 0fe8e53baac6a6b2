// Throughput through `wrangler pages dev`: signed-out `GET /` and signed-in `GET /private`
// alternate under autocannon, then a static file shows the local server's own ceiling.
import { createRequire } from "node:module";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { startClerkEmulator } from "clerk-oauth-emulator";
import { DEFAULT_CLIENT, SEED_USERS } from "clerk-oauth-emulator";
import { emulatorBindings } from "../../test/support/bindings";
import { CookieJar } from "../../test/support/cookie-jar";
import { type PagesDev, freePort, startPagesDev } from "../../test/support/pages-dev";
import { type AppFetch, signInThroughEmulator } from "../../test/support/sign-in-flow";
import { onStop } from "../run.mjs";
import { CONNECTIONS, ROUNDS, SECONDS, WARMUP_SECONDS } from "./settings";

interface Histogram {
  average: number;
  total: number;
  p50: number;
  p99: number;
}

interface AutocannonResult {
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

function load(origin: string, path: string, seconds: number, headers: Record<string, string> = {}) {
  return autocannon({ url: origin + path, connections: CONNECTIONS, duration: seconds, headers });
}

export type RunKind = "signedOut" | "signedIn" | "static";

export interface Run {
  kind: RunKind;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

export const RUN_LABELS: Record<RunKind, string> = {
  signedOut: "signed out",
  signedIn: "signed in",
  static: "static, the server's ceiling",
};

/** Signs in over HTTP like a browser would and returns the header that carries the session. */
async function signedInHeaders(pagesDev: PagesDev): Promise<Record<string, string>> {
  const browser: AppFetch = {
    async fetch(path, { jar, headers, ...init } = {}) {
      const merged = new Headers(headers);
      if (jar?.header()) merged.set("Cookie", jar.header());
      const response = await fetch(new URL(path, pagesDev.origin), {
        ...init,
        headers: merged,
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
      jar?.absorb(response);
      return response;
    },
  };
  const jar = new CookieJar();
  const { callback } = await signInThroughEmulator(browser, jar);
  await callback.arrayBuffer();
  const session = jar.get(SESSION_COOKIE_NAME.http);
  if (callback.status !== 302 || !session) {
    throw new Error(`Sign-in over HTTP failed: ${callback.status}\n${pagesDev.output()}`);
  }
  const cookie = { Cookie: `${SESSION_COOKIE_NAME.http}=${session}` };
  const check = await browser.fetch("/private", { headers: cookie });
  const page = await check.text();
  if (check.status !== 200 || !page.includes(SEED_USERS[0]?.id ?? "")) {
    throw new Error(`GET /private with the session cookie answered ${check.status}`);
  }
  return cookie;
}

export async function measureThroughput(): Promise<Run[]> {
  // The emulator's client must list the callback of a port only known once pages dev runs, and
  // pages dev needs the emulator's origin first: reserve the emulator's port up front.
  const clerkPort = await freePort();
  const clerkOrigin = `http://127.0.0.1:${clerkPort}`;
  const pagesDev = await startPagesDev(emulatorBindings(clerkOrigin));
  onStop(() => pagesDev.stop());
  const clerk = await startClerkEmulator({
    port: clerkPort,
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${pagesDev.origin}/auth/clerk/callback`] }],
  });
  onStop(() => clerk.close());
  console.log(`✔ wrangler pages dev on ${pagesDev.origin}, Clerk emulator on ${clerkOrigin}`);

  const cookie = await signedInHeaders(pagesDev);
  await load(pagesDev.origin, "/", WARMUP_SECONDS);
  await load(pagesDev.origin, "/private", WARMUP_SECONDS, cookie);

  const plan: Array<{ kind: RunKind; path: string; headers?: Record<string, string> }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    plan.push(
      { kind: "signedOut", path: "/" },
      { kind: "signedIn", path: "/private", headers: cookie },
    );
  }
  plan.push({ kind: "static", path: "/robots.txt" });

  const runs: Run[] = [];
  for (const { kind, path, headers } of plan) {
    const result = await load(pagesDev.origin, path, SECONDS, headers);
    const run: Run = {
      kind,
      path,
      reqPerSec: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: result.requests.total - result.non2xx,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
    runs.push(run);
    console.log(
      `✔ ${path} ${RUN_LABELS[kind]}: ${run.reqPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, ` +
        `p99 ${run.p99} ms, ${run.non2xx} non-2xx, ${run.errors} errors`,
    );
  }
  return runs;
}
