import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { ACME_ID, GLOBEX_ID, SEED_USERS } from "clerk-oauth-emulator";
import { SWITCH_ORG_INTENT } from "clerk-edge-auth";
import { createWebhookSecret } from "clerk-oauth-emulator";
import { APP_ORIGIN, type AppHarness } from "./app-harness";
import { startClerkApp } from "./clerk-app";
import { CookieJar } from "./cookie-jar";
import type { D1Ops, KvOps, Ops } from "./ops-counting/instrument";
import { signInThroughEmulator } from "./sign-in-flow";

/** What one request may cost: the calls named, every other count zero. */
export interface OpsBudget {
  kv?: Partial<KvOps>;
  d1?: Partial<D1Ops>;
}

/**
 * The request types whose KV and D1 cost the integration test pins and the benchmark reports,
 * each with its exact budget. D1 is pinned by statements and batches; rows are reported only.
 */
export const OPS_SCENARIOS = {
  signedOutView: { label: "signed-out page view: GET /", budget: {} },
  signedInPrivate: { label: "signed-in page view: GET /private", budget: { kv: { get: 1 } } },
  signedInHome: { label: "signed-in page view: GET /", budget: { kv: { get: 1 } } },
  signedInIdleOn: {
    label: "signed-in page view with the idle timeout on: GET /private",
    budget: { kv: { get: 1 } },
  },
  signedInIdleStamp: {
    label: "signed-in page view re-stamping the idle clock (Set-Cookie): GET /private",
    budget: { kv: { get: 1 } },
  },
  signedInNavigation: {
    label: "signed-in client navigation: GET /private.data",
    budget: { kv: { get: 1 } },
  },
  readThrough: {
    label: "signed-in view whose KV copy is missing: read-through",
    budget: { kv: { get: 1, put: 1 }, d1: { statements: 2 } },
  },
  login: { label: "start sign-in, signed out: GET /login", budget: {} },
  // A sign-in also keeps the user within the live-session cap (one batch of 2: read and end
  // beyond it) and prunes a few ended and expired rows after its response (one batch of 4).
  callback: {
    label: "sign-in callback, fresh browser",
    budget: { kv: { put: 1 }, d1: { statements: 8, batches: 2 } },
  },
  callbackAfterPreLoginSession: {
    label: "sign-in callback with a pre-login session cookie",
    budget: { kv: { put: 1, delete: 1 }, d1: { statements: 10, batches: 3 } },
  },
  tokenRefresh: {
    label: "token refresh: GET /api/userinfo with an expiring token",
    budget: { d1: { statements: 3 } },
  },
  profileSave: {
    label: "profile save: POST /profile",
    budget: { kv: { put: 1 }, d1: { statements: 3 } },
  },
  deviceList: {
    label: "device list: GET /account/sessions",
    budget: { kv: { get: 1 }, d1: { statements: 1 } },
  },
  signOut: {
    label: "sign-out: POST /logout",
    budget: { kv: { delete: 1 }, d1: { statements: 2, batches: 1 } },
  },
  webhook: {
    label: "Clerk webhook user.updated, one live session",
    budget: { kv: { put: 1 }, d1: { statements: 4 } },
  },
  orgCallback: {
    label: "sign-in callback with organizations on (an organization picked)",
    budget: { kv: { put: 1 }, d1: { statements: 12, batches: 3 } },
  },
  orgSignedInView: {
    label: "signed-in page view with organizations on: GET /private",
    budget: { kv: { get: 1 } },
  },
  orgPage: {
    label: "organizations page: GET /org",
    budget: { kv: { get: 1 }, d1: { statements: 3, batches: 1 } },
  },
  orgSwitch: {
    label: "switch organization: POST /org (the action, then the page's loaders)",
    budget: { kv: { put: 1 }, d1: { statements: 7, batches: 2 } },
  },
  orgMembers: {
    label: "member list: GET /org/members",
    budget: { kv: { get: 1 }, d1: { statements: 1 } },
  },
  orgWebhook: {
    label: "Clerk webhook organizationMembership.updated, one live session",
    budget: { kv: { put: 1 }, d1: { statements: 5, batches: 1 } },
  },
} as const satisfies Record<string, { label: string; budget: OpsBudget }>;

export type OpsScenario = keyof typeof OPS_SCENARIOS;

/** One scenario's outcome: its counts, or why the request did not do what the scenario says. */
export type Measured = { ops: Ops; error?: undefined } | { ops?: undefined; error: string };

const nonZero = <T extends object>(counts: T): Partial<T> =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) as Partial<T>;

/** The pinned part of `ops` (every KV call, D1 statements and batches), zeros left out. */
export function spent(ops: Ops): Required<OpsBudget> {
  return {
    kv: nonZero(ops.kv),
    d1: nonZero({ statements: ops.d1.statements, batches: ops.d1.batches }),
  };
}

/** A budget with both stores spelled out, to compare with `spent`. */
export function full(budget: OpsBudget): Required<OpsBudget> {
  return { kv: nonZero(budget.kv ?? {}), d1: nonZero(budget.d1 ?? {}) };
}

const D1_NOUNS: Record<keyof D1Ops, [string, string]> = {
  statements: ["statement", "statements"],
  batches: ["batch", "batches"],
  rowsRead: ["row read", "rows read"],
  rowsWritten: ["row written", "rows written"],
};

/** "1 KV get, 1 KV put, 2 D1 statements" — or "no KV, no D1". */
export function describeOps({ kv = {}, d1 = {} }: OpsBudget): string {
  const parts = [
    ...Object.entries(kv)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} KV ${kind}`),
    ...(Object.entries(d1) as Array<[keyof D1Ops, number]>)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} D1 ${D1_NOUNS[kind][n === 1 ? 0 : 1]}`),
  ];
  return parts.length ? parts.join(", ") : "no KV, no D1";
}

/** An hour, the AAL2 value: a view within its first tenth leaves the cookie as it is. */
const IDLE_TIMEOUT_SECONDS = 3600;

/**
 * The counts once the request's background work (`waitUntil`, such as the pruning after a
 * sign-in) has finished: read until three reads in a row agree, for at most two seconds.
 */
async function settledOps(app: AppHarness): Promise<Ops> {
  let last = JSON.stringify(await app.ops());
  let same = 0;
  for (let waited = 0; same < 2 && waited < 2000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = JSON.stringify(await app.ops());
    same = next === last ? same + 1 : 0;
    last = next;
  }
  return JSON.parse(last) as Ops;
}

/** Short enough that the first `getToken()` refreshes (the app refreshes within 60 s of expiry). */
const SHORT_ACCESS_TOKEN_TTL_SECONDS = 30;

/** A browser's sign-in as the emulator's first user; the app's answer to the callback. */
async function signIn(
  app: AppHarness,
  jar: CookieJar,
  options: { beforeCallback?: () => Promise<void> } = {},
): Promise<Response> {
  return (await signInThroughEmulator(app, jar, options)).callback;
}

const SAME_ORIGIN = { Origin: APP_ORIGIN };

/** Deletes every KV record: the next signed-in view finds no edge copy. */
async function emptyKv(kv: KVNamespace): Promise<void> {
  const { keys } = await kv.list();
  await Promise.all(keys.map(({ name }) => kv.delete(name)));
}

/**
 * Runs each request type once against the counting bundle in workerd, wired to the Clerk emulator,
 * and returns the KV and D1 calls each made. A request that did not do what its scenario
 * describes (wrong status, no refresh) is recorded as an error, since its counts would measure
 * something else; the others still run.
 */
export async function measureOpsPerRequest(): Promise<Record<OpsScenario, Measured>> {
  const webhookSecret = createWebhookSecret();
  const env = await startClerkApp({
    bundle: "counting",
    bindings: { CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret },
  });
  const { app, clerk } = env;
  const results: Partial<Record<OpsScenario, Measured>> = {};
  const userId = SEED_USERS[0]?.id ?? "";

  async function measure(
    scenario: OpsScenario,
    send: () => Promise<Response>,
    expectedStatus: number,
    check?: (response: Response) => string | null,
    on: AppHarness = app,
  ): Promise<void> {
    try {
      await on.resetOps();
      const response = await send();
      await response.arrayBuffer();
      const ops = await settledOps(on);
      const wrong =
        response.status === expectedStatus
          ? check?.(response)
          : `answered ${response.status}, not ${expectedStatus}`;
      results[scenario] = wrong ? { error: wrong } : { ops };
    } catch (error) {
      results[scenario] = { error: error instanceof Error ? error.message : String(error) };
    }
  }

  try {
    await measure("signedOutView", () => app.fetch("/"), 200);
    await measure("login", () => app.fetch("/login", { jar: new CookieJar() }), 302);

    const jar = new CookieJar();
    await measure("callback", () => signIn(app, jar, { beforeCallback: app.resetOps }), 302);
    await measure("signedInPrivate", () => app.fetch("/private", { jar }), 200);
    await measure("signedInHome", () => app.fetch("/", { jar }), 200);
    await measure("signedInNavigation", () => app.fetch("/private.data", { jar }), 200);
    await measure("deviceList", () => app.fetch("/account/sessions", { jar }), 200);
    await measure(
      "profileSave",
      () =>
        app.fetch("/profile", {
          method: "POST",
          jar,
          headers: SAME_ORIGIN,
          body: new URLSearchParams({ firstName: "Grace", lastName: "Hopper" }),
        }),
      200,
    );
    await emptyKv(await app.kv());
    await measure("readThrough", () => app.fetch("/private", { jar }), 200);

    clerk.emulator.configure({
      webhooks: {
        url: `${APP_ORIGIN}/webhooks/clerk`,
        secret: webhookSecret,
        fetch: async (request) =>
          app.fetch(new URL(request.url).pathname, {
            method: request.method,
            headers: request.headers,
            body: await request.text(),
          }),
      },
    });
    await measure(
      "webhook",
      async () => {
        // The emulator delivers user.updated itself; its record of the delivery has the app's status.
        const delivery = await clerk.emulator.updateUser(userId, { firstName: "Augusta" });
        if (delivery?.status == null) throw new Error(`no webhook answer: ${delivery?.error}`);
        return new Response(null, { status: delivery.status });
      },
      200,
    );
    clerk.emulator.configure({ webhooks: null });

    await measure(
      "signOut",
      () => app.fetch("/logout", { method: "POST", jar, headers: SAME_ORIGIN }),
      302,
    );

    // A signed-in browser's cookie, kept after sign-out: to the callback it is a pre-login id.
    const stale = new CookieJar();
    await signIn(app, stale);
    const preLogin = new CookieJar();
    preLogin.set(SESSION_COOKIE_NAME.http, stale.get(SESSION_COOKIE_NAME.http) ?? "");
    await (await app.fetch("/logout", { method: "POST", jar: stale, headers: SAME_ORIGIN })).text();
    await measure(
      "callbackAfterPreLoginSession",
      () => signIn(app, preLogin, { beforeCallback: app.resetOps }),
      302,
    );

    clerk.emulator.configure({ accessTokenTtlSeconds: SHORT_ACCESS_TOKEN_TTL_SECONDS });
    const refreshing = new CookieJar();
    await signIn(app, refreshing);
    clerk.emulator.clearRequests();
    await measure(
      "tokenRefresh",
      () => app.fetch("/api/userinfo", { jar: refreshing }),
      200,
      () =>
        clerk.emulator.requests.some(
          (request) =>
            request.path === "/oauth/token" && request.form?.grant_type === "refresh_token",
        )
          ? null
          : "Clerk saw no refresh",
    );
  } finally {
    await env.close();
  }

  const idle = await startClerkApp({
    bundle: "counting",
    bindings: { SESSION_IDLE_TIMEOUT: String(IDLE_TIMEOUT_SECONDS) },
  });
  try {
    const jar = new CookieJar();
    await signIn(idle.app, jar);
    const restamped = (response: Response) =>
      response.headers.getSetCookie().some((c) => c.startsWith(SESSION_COOKIE_NAME.http))
        ? "re-stamped the cookie"
        : null;
    await measure(
      "signedInIdleOn",
      () => idle.app.fetch("/private", { jar }),
      200,
      restamped,
      idle.app,
    );
    await idle.app.advanceClock((IDLE_TIMEOUT_SECONDS * 1000) / 5);
    await measure(
      "signedInIdleStamp",
      () => idle.app.fetch("/private", { jar }),
      200,
      (response) => (restamped(response) ? null : "did not re-stamp the cookie"),
      idle.app,
    );
  } finally {
    await idle.close();
  }
  await measureOrganizations(measure);
  return results as Record<OpsScenario, Measured>;
}

type Measure = (
  scenario: OpsScenario,
  send: () => Promise<Response>,
  expectedStatus: number,
  check?: (response: Response) => string | null,
  on?: AppHarness,
) => Promise<void>;

/** The request types organizations add, on an app with `user:org:read` and the secret key. */
async function measureOrganizations(measure: Measure): Promise<void> {
  const webhookSecret = createWebhookSecret();
  const env = await startClerkApp({
    bundle: "counting",
    bindings: {
      CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
      CLERK_SCOPES: "openid profile email offline_access public_metadata user:org:read",
    },
  });
  const { app, clerk } = env;
  const grace = SEED_USERS[1]?.id ?? "";
  try {
    const jar = new CookieJar();
    await measure(
      "orgCallback",
      async () =>
        (
          await signInThroughEmulator(app, jar, {
            userId: grace,
            orgId: ACME_ID,
            beforeCallback: app.resetOps,
          })
        ).callback,
      302,
      undefined,
      app,
    );
    await measure("orgSignedInView", () => app.fetch("/private", { jar }), 200, undefined, app);
    await measure("orgPage", () => app.fetch("/org", { jar }), 200, undefined, app);
    await measure("orgMembers", () => app.fetch("/org/members", { jar }), 200, undefined, app);
    await measure(
      "orgSwitch",
      () =>
        app.fetch("/org", {
          method: "POST",
          jar,
          headers: SAME_ORIGIN,
          body: new URLSearchParams({ intent: SWITCH_ORG_INTENT, org: GLOBEX_ID }),
        }),
      200,
      undefined,
      app,
    );
    clerk.emulator.configure({
      webhooks: {
        url: `${APP_ORIGIN}/webhooks/clerk`,
        secret: webhookSecret,
        fetch: async (request) =>
          app.fetch(new URL(request.url).pathname, {
            method: request.method,
            headers: request.headers,
            body: await request.text(),
          }),
      },
    });
    await measure(
      "orgWebhook",
      async () => {
        const delivery = await clerk.emulator.updateMembership(GLOBEX_ID, grace, {
          role: "org:member",
        });
        if (delivery?.status == null) throw new Error(`no webhook answer: ${delivery?.error}`);
        return new Response(null, { status: delivery.status });
      },
      200,
      undefined,
      app,
    );
  } finally {
    await env.close();
  }
}
