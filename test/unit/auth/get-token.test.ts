import type { AppLoadContext } from "@remix-run/cloudflare";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { getAuth } from "~/auth/auth.server";
import { readConfig } from "~/config/config.server";
import { DEFAULT_CLIENT, SEED_USERS } from "../../clerk-emulator/emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "../../clerk-emulator/server";
import { pkcePair, queryOf } from "../../clerk-emulator/test-support";
import { SESSION_SECRET } from "../../support/bindings";
import { ADA, plantSession } from "../../support/session-fixture";

// getToken against real KV (Miniflare) and the emulator over HTTP. Expiry is controlled by the
// emulator's token lifetime and the stored expiresAt, never by sleeping.
const CALLBACK = "http://127.0.0.1:8788/auth/clerk/callback";
let mf: Miniflare;
let kv: KVNamespace;
let clerk: RunningClerkEmulator;

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", kvNamespaces: ["KV"] });
  kv = (await mf.getKVNamespace("KV")) as unknown as KVNamespace;
  clerk = await startClerkEmulator();
});
afterAll(async () => {
  await clerk.close();
  await mf.dispose();
});
beforeEach(() => {
  clerk.emulator.reset();
  clerk.emulator.configure({ accessTokenTtlSeconds: 86_400, rotateRefreshTokens: true });
  clerk.emulator.clearRequests();
});

/** Real tokens for Ada, as the callback would have stored them, expiring at `expiresAt`. */
async function signedInRequest(expiresAt: number, id = crypto.randomUUID().replaceAll("-", "")) {
  const { verifier, challenge } = pkcePair();
  const location = clerk.emulator.approve({
    redirectUri: CALLBACK,
    state: "state-for-get-token-tests",
    codeChallenge: challenge,
    userId: SEED_USERS[0]?.id,
  });
  const response = await fetch(`${clerk.origin}/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${DEFAULT_CLIENT.clientId}:${DEFAULT_CLIENT.clientSecret}`)}`,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: queryOf(location).code ?? "",
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { access_token: string; refresh_token: string };
  const tokens = {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt,
    scope: ["profile", "email"],
    idToken: null,
  };
  const { cookie } = await plantSession(kv, SESSION_SECRET, { id, user: ADA, tokens });
  clerk.emulator.clearRequests();
  return {
    id,
    tokens,
    request: new Request("http://127.0.0.1:8788/", { headers: { Cookie: cookie } }),
  };
}

function contextFor(): AppLoadContext {
  const env = {
    SESSION_KV: kv,
    SESSION_SECRET,
    CLERK_DOMAIN: clerk.origin,
    CLERK_CLIENT_ID: DEFAULT_CLIENT.clientId,
    CLERK_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  };
  const pending: Promise<unknown>[] = [];
  return {
    cloudflare: {
      env,
      ctx: {
        waitUntil: (promise: Promise<unknown>) => pending.push(promise),
        passThroughOnException() {},
      },
      cf: undefined,
    },
    config: readConfig(env),
  };
}

const refreshCalls = () =>
  clerk.emulator.requests.filter(
    (r) => r.path === "/oauth/token" && r.form?.grant_type === "refresh_token",
  );

describe("getToken", () => {
  test("returns the stored access token while it has more than a minute left, calling nothing", async () => {
    const { request, tokens } = await signedInRequest(Date.now() + 3_600_000);
    expect(await getAuth({ request, context: contextFor() }).getToken()).toBe(tokens.accessToken);
    expect(clerk.emulator.requests).toEqual([]);
  });

  test("refreshes a token about to expire, stores the new tokens and returns the new one", async () => {
    const { request, tokens, id } = await signedInRequest(Date.now() + 10_000);
    const token = await getAuth({ request, context: contextFor() }).getToken();
    expect(token).not.toBe(tokens.accessToken);
    expect(refreshCalls()).toHaveLength(1);
    const stored = (await kv.get(`session:${id}`, "json")) as { tokens: { accessToken: string } };
    expect(stored.tokens.accessToken).toBe(token);
    const userinfo = await fetch(`${clerk.origin}/oauth/userinfo`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(userinfo.status).toBe(200);
  });

  test("concurrent callers in one request share one refresh", async () => {
    const { request } = await signedInRequest(Date.now() - 1_000);
    const context = contextFor();
    const tokens = await Promise.all([
      getAuth({ request, context }).getToken(),
      getAuth({ request, context }).getToken(),
      getAuth({ request, context }).getToken(),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(refreshCalls()).toHaveLength(1);
  });

  test("a request that lost a refresh race to another tab uses the tokens that tab stored", async () => {
    const { request, id } = await signedInRequest(Date.now() - 1_000);
    const slowTab = getAuth({ request, context: contextFor() });
    await slowTab.getUser();
    const fastToken = await getAuth({ request, context: contextFor() }).getToken();
    expect(await slowTab.getToken()).toBe(fastToken);
    expect(await kv.get(`session:${id}`)).not.toBeNull();
    expect(refreshCalls()).toHaveLength(2);
  });

  test("a refused refresh token ends the session: signed out, record deleted", async () => {
    const { request, id } = await signedInRequest(Date.now() - 1_000);
    clerk.emulator.fail("token", { kind: "invalid-grant" });
    const context = contextFor();
    const auth = getAuth({ request, context });
    expect(await auth.getToken()).toBeNull();
    expect(await auth.getUser()).toBeNull();
    expect(await kv.get(`session:${id}`)).toBeNull();
  });

  test("Clerk being down during a refresh is an error, and the session is kept", async () => {
    const { request, id } = await signedInRequest(Date.now() - 1_000);
    clerk.emulator.fail("token", { kind: "status", status: 503 });
    await expect(getAuth({ request, context: contextFor() }).getToken()).rejects.toMatchObject({
      code: "provider_unavailable",
    });
    expect(await kv.get(`session:${id}`)).not.toBeNull();
  });

  test("returns null when signed out, without touching Clerk", async () => {
    const request = new Request("http://127.0.0.1:8788/");
    expect(await getAuth({ request, context: contextFor() }).getToken()).toBeNull();
    expect(clerk.emulator.requests).toEqual([]);
  });
});
