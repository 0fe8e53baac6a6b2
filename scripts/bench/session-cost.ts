// Where a signed-in view's cost goes, in workerd without wrangler's proxy: GET / with four kinds of
// cookie, each adding one step of reading a session, and a control that does by hand the one read
// a signed-in view must do, so the app's own overhead beyond that read shows.
import { SESSION_SECRET, validBindings } from "../../test/support/bindings";
import { plantSession } from "../../test/support/session-fixture";
import { KV_GET_HEADER, startBenchApp } from "./bench-app";
import { CONNECTIONS, COST_REQUESTS, COST_ROUNDS } from "./settings";

/** Requests per second of each kind of GET /. */
export interface SessionCost {
  signedOut: number;
  /**
   * No cookie, but the bench's wrapper `get`s the live session's KV record before the app renders
   * the signed-out page: what a signed-in view cannot avoid, without any of the app's session code.
   */
  control: number;
  /** A cookie whose signature fails: the HMAC check, nothing else. */
  badSignature: number;
  /** A valid cookie of a session neither store knows: HMAC, a KV get that misses, a D1 lookup. */
  unknownSession: number;
  /** A live session: HMAC, one KV get, and the signed-in page. */
  signedIn: number;
}

const WARMUP_REQUESTS = 200;

/**
 * The Pages bundle in Miniflare, `CONNECTIONS` requests at a time, the kinds interleaved over
 * several rounds so drift hits them alike.
 */
export async function measureSessionCost(bundleDir: string): Promise<SessionCost> {
  const app = await startBenchApp(bundleDir, validBindings());
  try {
    const valid = await plantSession(app, SESSION_SECRET);
    const forged = await plantSession(app, "not-the-session-secret", { id: "9".repeat(32) });
    const unknown = await plantSession(app, SESSION_SECRET, { id: "8".repeat(32), kvCopy: false });
    const db = await app.db();
    await db.prepare("DELETE FROM sessions WHERE id_hash = ?").bind(unknown.idHash).run();
    const headers: Record<keyof SessionCost, Record<string, string>> = {
      signedOut: {},
      control: { [KV_GET_HEADER]: `session:${valid.idHash}` },
      badSignature: { Cookie: forged.cookie },
      unknownSession: { Cookie: unknown.cookie },
      signedIn: { Cookie: valid.cookie },
    };
    const burst = async (kind: keyof SessionCost, requests: number): Promise<number> => {
      const started = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent++ < requests) {
          const response = await app.fetch("/", { headers: headers[kind] });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`GET / (${kind}) answered ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      return performance.now() - started;
    };
    const kinds = Object.keys(headers) as Array<keyof SessionCost>;
    for (const kind of kinds) await burst(kind, WARMUP_REQUESTS);
    const elapsed: SessionCost = {
      signedOut: 0,
      control: 0,
      badSignature: 0,
      unknownSession: 0,
      signedIn: 0,
    };
    for (let round = 0; round < COST_ROUNDS; round++) {
      for (const kind of kinds) elapsed[kind] += await burst(kind, COST_REQUESTS);
    }
    const perSecond = (ms: number) => (COST_REQUESTS * COST_ROUNDS) / (ms / 1000);
    const rate = (kind: keyof SessionCost) => perSecond(elapsed[kind]);
    return {
      signedOut: rate("signedOut"),
      control: rate("control"),
      badSignature: rate("badSignature"),
      unknownSession: rate("unknownSession"),
      signedIn: rate("signedIn"),
    };
  } finally {
    await app.close();
  }
}
