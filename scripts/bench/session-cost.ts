import { startApp } from "../../test/support/app-harness";
import { SESSION_SECRET, validBindings } from "../../test/support/bindings";
import { plantSession } from "../../test/support/session-fixture";
import { CONNECTIONS } from "./settings";
import { onCleanup } from "./processes";

/** GET / with four kinds of cookie, each adding one step of reading a session. */
export interface SessionCost {
  signedOut: number;
  /** A cookie whose signature fails: the HMAC check, no KV. */
  badSignature: number;
  /** A valid cookie whose record is gone: HMAC check plus one KV get that misses. */
  kvMiss: number;
  /** A valid session: HMAC, one KV get, and the signed-in page. */
  signedIn: number;
}

const WARMUP_REQUESTS = 200;
const REQUESTS_PER_ROUND = 300;
const ROUNDS = 6;

/**
 * Where a signed-in view's extra cost goes, measured in workerd without wrangler's proxy: the
 * Pages bundle in Miniflare, `CONNECTIONS` requests at a time, the four kinds interleaved over
 * several rounds so drift hits them alike. Requests per second for each.
 */
export async function measureSessionCost(): Promise<SessionCost> {
  const app = await startApp(validBindings());
  const forget = onCleanup(() => app.close());
  try {
    const kv = await app.kv();
    const valid = await plantSession(kv, SESSION_SECRET);
    const forged = await plantSession(kv, "not-the-session-secret", { id: "9".repeat(32) });
    const gone = await plantSession(kv, SESSION_SECRET, { id: "8".repeat(32) });
    await kv.delete(`session:${gone.id}`);
    const cookies: Record<keyof SessionCost, string | null> = {
      signedOut: null,
      badSignature: forged.cookie,
      kvMiss: gone.cookie,
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
    const elapsed = { signedOut: 0, badSignature: 0, kvMiss: 0, signedIn: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of kinds) elapsed[kind] += await burst(cookies[kind], REQUESTS_PER_ROUND);
    }
    const perSecond = (ms: number) => (REQUESTS_PER_ROUND * ROUNDS) / (ms / 1000);
    return {
      signedOut: perSecond(elapsed.signedOut),
      badSignature: perSecond(elapsed.badSignature),
      kvMiss: perSecond(elapsed.kvMiss),
      signedIn: perSecond(elapsed.signedIn),
    };
  } finally {
    forget();
    await app.close();
  }
}
