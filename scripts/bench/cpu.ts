// CPU time per request type in workerd: what Cloudflare's per-request CPU limit is about. Each
// type is sent one request at a time and workerd's CPU is read around each measured request, so
// the untimed steps that set one up (a sign-in before a callback is measured) are left out.
import {
  createWebhookSecret,
  DEFAULT_CLIENT,
  SEED_USERS,
  startClerkEmulator,
} from "clerk-oauth-emulator";
import { APP_ORIGIN } from "../../test/support/app-harness";
import { emulatorBindings } from "../../test/support/bindings";
import { CookieJar } from "../../test/support/cookie-jar";
import { signInThroughEmulator } from "../../test/support/sign-in-flow";
import { onStop } from "../run.mjs";
import {
  type BenchApp,
  D1_READ_HEADER,
  FLOOR_HEADER,
  KV_GET_HEADER,
  startBenchApp,
} from "./bench-app";
import { liveThreadsCpuNs } from "./process-cpu";
import { CPU_REQUESTS, CPU_ROUNDS, CPU_WARMUP } from "./settings";

export const CPU_TYPES = {
  floor: "floor: the bench's wrapper answers GET / itself, none of the app runs",
  kvGet:
    "floor after one KV get: a read in the local KV simulator (not the app's CPU on Cloudflare)",
  d1Read: "floor after one D1 query of one row: the local D1 simulator (not the app's CPU either)",
  signedOutView: "signed-out view: GET /",
  control: "control: GET / signed out after one KV get of a live session's record",
  signedInHome: "signed-in view: GET /",
  signedInView: "signed-in view: GET /private",
  data: "signed-in client navigation: GET /private.data",
  login: "start sign-in: GET /login",
  deviceList: "device list: GET /account/sessions",
  profileSave: "profile save: POST /profile",
  webhook: "Clerk webhook user.updated, one live session",
  callback: "sign-in callback, fresh browser",
  signOut: "sign-out: POST /logout",
  refresh: "token refresh: GET /api/userinfo with an expiring token",
} as const;

export type CpuType = keyof typeof CPU_TYPES;

/** Mean milliseconds of workerd CPU per request of each type. */
export type CpuPerRequest = Record<CpuType, number>;

/** Short enough that every `getToken()` refreshes (the app refreshes within 60 s of expiry). */
const SHORT_ACCESS_TOKEN_TTL_SECONDS = 30;
/** The emulator's default access token lifetime, restored after the refresh requests. */
const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 86_400;
const SAME_ORIGIN = { Origin: APP_ORIGIN };
/** The user whose one live session the views and the webhook use. */
const VIEWER = SEED_USERS[0]?.id ?? "";
/** Every other sign-in (callbacks, refreshes) is this user's, so the viewer keeps one session. */
const OTHER = SEED_USERS[1]?.id ?? "";

/** Measures one request: workerd's CPU from just before it is sent to the end of its body. */
function meter(app: BenchApp) {
  const cpu = () => liveThreadsCpuNs(app.workerdPid);
  return {
    start: cpu,
    async stop(started: number, response: Response, expected: number, what: string) {
      await response.arrayBuffer();
      const spent = cpu() - started;
      if (response.status !== expected) {
        throw new Error(`${what} answered ${response.status}, not ${expected}`);
      }
      return spent;
    },
  };
}

/**
 * The Pages bundle behind the bench's wrapper, wired to a Clerk emulator; each request type sent
 * `CPU_WARMUP` times unmeasured, then `CPU_REQUESTS` times in each of `CPU_ROUNDS` rounds, the types
 * taking turns so drift hits them alike.
 */
export async function measureCpu(bundleDir: string): Promise<CpuPerRequest> {
  const webhookSecret = createWebhookSecret();
  const clerk = await startClerkEmulator({
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${APP_ORIGIN}/auth/clerk/callback`] }],
  });
  const forgetClerk = onStop(() => clerk.close());
  const app = await startBenchApp(bundleDir, {
    ...emulatorBindings(clerk.origin),
    CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
  });
  try {
    const { start, stop } = meter(app);
    const timed = async (
      type: CpuType,
      path: string,
      init: RequestInit & { jar?: CookieJar },
      expected: number,
    ) => {
      const started = start();
      return stop(started, await app.fetch(path, init), expected, CPU_TYPES[type]);
    };

    const viewer = new CookieJar();
    const signedIn = await signInThroughEmulator(app, viewer, { userId: VIEWER });
    await signedIn.callback.arrayBuffer();
    // The viewer's sign-in is the first, so its session's KV record is the only one.
    const { keys } = await (await app.kv()).list();
    const viewerKey = keys[0]?.name;
    if (signedIn.callback.status !== 302 || keys.length !== 1 || !viewerKey) {
      throw new Error(
        `Sign-in answered ${signedIn.callback.status}, KV holds ${keys.length} records`,
      );
    }
    /** Browsers signed in by the callback requests, signed out by the sign-out requests. */
    const signedInJars: CookieJar[] = [];
    let refreshing: CookieJar | null = null;
    let nameCount = 0;

    const send: Record<CpuType, () => Promise<number>> = {
      floor: () => timed("floor", "/", { headers: { [FLOOR_HEADER]: "1" } }, 200),
      kvGet: () =>
        timed("kvGet", "/", { headers: { [FLOOR_HEADER]: "1", [KV_GET_HEADER]: viewerKey } }, 200),
      d1Read: () =>
        timed("d1Read", "/", { headers: { [FLOOR_HEADER]: "1", [D1_READ_HEADER]: "1" } }, 200),
      signedOutView: () => timed("signedOutView", "/", {}, 200),
      control: () => timed("control", "/", { headers: { [KV_GET_HEADER]: viewerKey } }, 200),
      signedInHome: () => timed("signedInHome", "/", { jar: viewer }, 200),
      signedInView: () => timed("signedInView", "/private", { jar: viewer }, 200),
      data: () => timed("data", "/private.data", { jar: viewer }, 200),
      login: () => timed("login", "/login", { jar: new CookieJar() }, 302),
      deviceList: () => timed("deviceList", "/account/sessions", { jar: viewer }, 200),
      profileSave: () =>
        timed(
          "profileSave",
          "/profile",
          {
            method: "POST",
            jar: viewer,
            headers: SAME_ORIGIN,
            body: new URLSearchParams({ firstName: "Ada", lastName: `Lovelace ${nameCount++}` }),
          },
          200,
        ),
      async webhook() {
        const measured: { ns?: number } = {};
        clerk.emulator.configure({
          webhooks: {
            url: `${APP_ORIGIN}/webhooks/clerk`,
            secret: webhookSecret,
            fetch: async (request) => {
              const body = await request.text();
              const started = start();
              const response = await app.fetch(new URL(request.url).pathname, {
                method: request.method,
                headers: request.headers,
                body,
              });
              measured.ns = await stop(started, response, 200, CPU_TYPES.webhook);
              return new Response(null, { status: response.status });
            },
          },
        });
        try {
          const delivery = await clerk.emulator.updateUser(VIEWER, {
            firstName: `Ada ${nameCount++}`,
          });
          if (measured.ns === undefined) {
            throw new Error(`No webhook delivery: ${delivery?.error ?? "none"}`);
          }
          return measured.ns;
        } finally {
          clerk.emulator.configure({ webhooks: null });
        }
      },
      async callback() {
        const jar = new CookieJar();
        let started = 0;
        const { callback } = await signInThroughEmulator(app, jar, {
          userId: OTHER,
          beforeCallback: () => {
            started = start();
          },
        });
        const spent = await stop(started, callback, 302, CPU_TYPES.callback);
        signedInJars.push(jar);
        return spent;
      },
      async signOut() {
        let jar = signedInJars.pop();
        if (!jar) {
          jar = new CookieJar();
          await (await signInThroughEmulator(app, jar, { userId: OTHER })).callback.arrayBuffer();
        }
        return timed("signOut", "/logout", { method: "POST", jar, headers: SAME_ORIGIN }, 302);
      },
      async refresh() {
        if (!refreshing) {
          clerk.emulator.configure({ accessTokenTtlSeconds: SHORT_ACCESS_TOKEN_TTL_SECONDS });
          refreshing = new CookieJar();
          await (
            await signInThroughEmulator(app, refreshing, { userId: OTHER })
          ).callback.arrayBuffer();
        }
        clerk.emulator.clearRequests();
        const spent = await timed("refresh", "/api/userinfo", { jar: refreshing }, 200);
        const refreshed = clerk.emulator.requests.some(
          (request) =>
            request.path === "/oauth/token" && request.form?.grant_type === "refresh_token",
        );
        if (!refreshed) throw new Error(`${CPU_TYPES.refresh}: Clerk saw no refresh`);
        return spent;
      },
    };

    const types = Object.keys(CPU_TYPES) as CpuType[];
    const total = Object.fromEntries(types.map((type) => [type, 0])) as CpuPerRequest;
    for (let round = -1; round < CPU_ROUNDS; round++) {
      // Round -1 warms each path up (JIT, caches) and is not counted.
      const requests = round < 0 ? CPU_WARMUP : CPU_REQUESTS;
      for (const type of types) {
        let spent = 0;
        for (let i = 0; i < requests; i++) spent += await send[type]();
        if (type === "refresh") {
          clerk.emulator.configure({ accessTokenTtlSeconds: DEFAULT_ACCESS_TOKEN_TTL_SECONDS });
          refreshing = null;
        }
        clerk.emulator.clearRequests();
        if (round >= 0) total[type] += spent;
      }
    }
    console.log(`✔ CPU per request type, ${CPU_ROUNDS} rounds of ${CPU_REQUESTS} each`);
    const perRequestMs = (ns: number) => ns / (CPU_ROUNDS * CPU_REQUESTS) / 1e6;
    return Object.fromEntries(
      types.map((type) => [type, perRequestMs(total[type])]),
    ) as CpuPerRequest;
  } finally {
    await app.close();
    forgetClerk();
    await clerk.close();
  }
}
