import { beforeEach, describe, expect, it, vi } from "vitest";
import { AuthError, type AuthErrorCode } from "../../src/auth/auth-error.js";
import { ClerkStrategy } from "../../src/auth/clerk-strategy.server.js";
import { createClerkOAuthClient } from "../../src/auth/oauth-client.server.js";
import { createCodeChallenge, createState } from "../../src/auth/pkce.server.js";
import { DEFAULT_SCOPES } from "../../src/config/clerk-settings.js";
import { createClerkEmulator, SEED_USERS } from "clerk-oauth-emulator";
import { caught } from "../../../../test/support/catch-response";
import { CookieJar, parseSetCookie } from "../../../../test/support/cookie-jar";

const APP_ORIGIN = "http://localhost:8788";
// The emulator answers in this process, through its fetch: no server, no port.
const CLERK_ORIGIN = "http://clerk.emulator.test";
const REDIRECT_URI = `${APP_ORIGIN}/auth/clerk/callback`;
const CLIENT = {
  clientId: "strategy_test_client",
  clientSecret: "strategy-test-secret:+/",
  redirectUris: [REDIRECT_URI],
};
const COOKIE_SECRET = "flow-cookie-secret-for-tests";
const NOW = Date.UTC(2026, 3, 1, 12);
const [ADA, GRACE] = SEED_USERS;

const emulator = createClerkEmulator({ clients: [CLIENT], now: () => NOW });
const clerkFetch: typeof fetch = async (input, init) => emulator.fetch(new Request(input, init));

beforeEach(() => {
  emulator.reset();
  emulator.clearRequests();
  emulator.configure({ accessTokenTtlSeconds: 86400, rotateRefreshTokens: true });
});

interface SignedIn {
  profile: ClerkStrategy.VerifyOptions["profile"];
  tokens: ClerkStrategy.VerifyOptions["tokens"];
  redirectTo: string;
}

interface Overrides {
  scopes?: string[];
  timeoutMs?: number;
  /** How the client reaches Clerk; default the emulator. */
  fetch?: typeof fetch;
  verify?: (options: ClerkStrategy.VerifyOptions) => Promise<SignedIn>;
}

function makeStrategy({
  scopes = [...DEFAULT_SCOPES],
  timeoutMs,
  fetch: reachClerk = clerkFetch,
  verify: verifyWith,
}: Overrides = {}) {
  // The emulator's log redacts credentials, so the exact values sent are captured here.
  const sent: Request[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    // The client's bodies are URLSearchParams, so the same init can build two requests.
    sent.push(new Request(input, init));
    return reachClerk(input, init);
  };
  const verify = vi.fn(
    verifyWith ??
      (async ({ request, profile, tokens, redirectTo }): Promise<SignedIn> => {
        expect(request).toBeInstanceOf(Request);
        return { profile, tokens, redirectTo };
      }),
  );
  const settings = {
    origin: CLERK_ORIGIN,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    callbackUrl: null,
    scopes,
  };
  const client = createClerkOAuthClient(settings, {
    fetch: recordingFetch,
    now: () => NOW,
    timeoutMs,
  });
  const strategy = new ClerkStrategy<SignedIn>(
    { clerk: settings, cookieSecrets: [COOKIE_SECRET], client, now: () => NOW },
    verify,
  );
  return { strategy, client, verify, sent };
}

function request(url: string, jar: CookieJar): Request {
  return new Request(url, { headers: { Cookie: jar.header() } });
}

/** The /login step: returns the authorize URL and stores the flow cookie in the jar. */
async function startSignIn(strategy: ClerkStrategy<SignedIn>, jar: CookieJar, redirectTo?: string) {
  const query = redirectTo === undefined ? "" : `?redirectTo=${encodeURIComponent(redirectTo)}`;
  const response = await caught(
    strategy.authenticate(request(`${APP_ORIGIN}/login${query}`, jar)),
    Response,
  );
  jar.absorb(response);
  return new URL(response.headers.get("Location") ?? "");
}

/** The person's choice on Clerk's consent page, submitted as the HTML form would be. */
async function submitAuthorizeForm(authorizeUrl: URL, choice: Record<string, string>) {
  const response = await clerkFetch(new URL("/oauth/authorize", CLERK_ORIGIN), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...Object.fromEntries(authorizeUrl.searchParams), ...choice }),
    redirect: "manual",
  });
  expect(response.status).toBeGreaterThanOrEqual(300);
  expect(response.status).toBeLessThan(400);
  return response.headers.get("Location") ?? "";
}

function approve(authorizeUrl: URL, userId = ADA?.id) {
  const params = authorizeUrl.searchParams;
  return emulator.approve({
    redirectUri: params.get("redirect_uri") ?? "",
    state: params.get("state") ?? "",
    codeChallenge: params.get("code_challenge") ?? "",
    scope: params.get("scope") ?? "",
    userId,
    clientId: CLIENT.clientId,
  });
}

async function expectAuthError(
  promise: Promise<unknown>,
  code: AuthErrorCode,
  secrets: string[] = [],
): Promise<AuthError> {
  const error = await caught(promise, AuthError);
  expect(error.code).toBe(code);
  for (const secret of [CLIENT.clientSecret, COOKIE_SECRET, ...secrets]) {
    expect(error.message).not.toContain(secret);
  }
  return error;
}

function codeOf(callbackUrl: string): string {
  return new URL(callbackUrl).searchParams.get("code") ?? "";
}

describe("ClerkStrategy against the Clerk emulator", () => {
  it("signs a person in through the consent form and hands typed profile, tokens and redirectTo to verify", async () => {
    emulator.configure({ accessTokenTtlSeconds: 3600 });
    const { strategy, verify } = makeStrategy();
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar, "/account?tab=2");
    const callbackUrl = await submitAuthorizeForm(authorizeUrl, { user_id: ADA?.id ?? "" });

    const result = await strategy.authenticate(request(callbackUrl, jar));

    expect(verify).toHaveBeenCalledTimes(1);
    expect(result.redirectTo).toBe("/account?tab=2");
    expect(result.profile).toMatchObject({
      id: ADA?.id,
      email: "ada@example.com",
      emailVerified: true,
      firstName: "Ada",
      lastName: "Lovelace",
      fullName: "Ada Lovelace",
      username: "ada",
      publicMetadata: { role: "admin" },
    });
    expect(result.profile.imageUrl).toEqual(expect.any(String));
    expect(result.tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: NOW + 3_600_000,
      scope: [...DEFAULT_SCOPES],
      idToken: expect.any(String),
    });
  });

  it("sends Basic client authentication, the exact redirect_uri and the verifier for the challenge", async () => {
    const { strategy, sent } = makeStrategy();
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar);
    const callbackUrl = approve(authorizeUrl);

    const { tokens } = await strategy.authenticate(request(callbackUrl, jar));

    const logged = emulator.requests.filter((r) => r.path.startsWith("/oauth/"));
    expect(logged.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /oauth/token",
      "GET /oauth/userinfo",
    ]);
    expect(logged[0]?.headers.authorization).toBe("Basic …");
    expect(logged[0]?.form).toEqual({
      grant_type: "authorization_code",
      code: codeOf(callbackUrl),
      redirect_uri: REDIRECT_URI,
      code_verifier: "[redacted]",
    });
    expect(logged[1]?.headers.authorization).toBe("Bearer …");

    const [tokenRequest, userinfoRequest] = sent;
    expect(tokenRequest?.headers.get("Authorization")).toBe(
      `Basic ${btoa("strategy_test_client:strategy-test-secret%3A%2B%2F")}`,
    );
    const form = new URLSearchParams(await tokenRequest?.text());
    expect(form.get("redirect_uri")).toBe(authorizeUrl.searchParams.get("redirect_uri"));
    await expect(createCodeChallenge(form.get("code_verifier") ?? "")).resolves.toBe(
      authorizeUrl.searchParams.get("code_challenge"),
    );
    expect(userinfoRequest?.headers.get("Authorization")).toBe(`Bearer ${tokens.accessToken}`);
  });

  it("narrows a profile without public metadata when that scope was not asked for", async () => {
    const { strategy } = makeStrategy({ scopes: ["profile", "email"] });
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar);
    expect(authorizeUrl.searchParams.get("scope")).toBe("profile email");

    const { profile, redirectTo } = await strategy.authenticate(
      request(approve(authorizeUrl, GRACE?.id), jar),
    );

    expect(redirectTo).toBe("/private");
    expect(profile).toMatchObject({
      id: GRACE?.id,
      email: "grace@example.com",
      publicMetadata: {},
    });
  });

  it("clears the flow cookie of the attempt named in the callback", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar);
    const callbackUrl = approve(authorizeUrl);
    const [name] = jar.names();

    const [header, ...rest] = await strategy.clearFlowCookies(request(callbackUrl, jar), "attempt");
    expect(rest).toEqual([]);
    const cleared = parseSetCookie(header ?? "");

    expect(cleared.name).toBe(name);
    expect(cleared.value).toBe("");
    expect(cleared.attributes.get("max-age")).toBe("0");
    expect(cleared.attributes.get("path")).toBe("/");
    expect(cleared.attributes.has("httponly")).toBe(true);
    expect(cleared.attributes.has("secure")).toBe(false);
  });

  it("completes two parallel sign-ins from one browser", async () => {
    const { strategy, verify } = makeStrategy();
    const jar = new CookieJar();
    const first = await startSignIn(strategy, jar, "/first");
    const second = await startSignIn(strategy, jar, "/second");
    expect(jar.names()).toHaveLength(2);

    const [secondResult, firstResult] = await Promise.all([
      strategy.authenticate(request(approve(second, GRACE?.id), jar)),
      strategy.authenticate(request(approve(first, ADA?.id), jar)),
    ]);

    expect(firstResult).toMatchObject({ redirectTo: "/first", profile: { id: ADA?.id } });
    expect(secondResult).toMatchObject({ redirectTo: "/second", profile: { id: GRACE?.id } });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it("passes errors thrown by verify through unchanged", async () => {
    const failure = new Error("user is banned");
    const { strategy } = makeStrategy({
      verify: async () => {
        throw failure;
      },
    });
    const jar = new CookieJar();
    const callbackUrl = approve(await startSignIn(strategy, jar));
    await expect(strategy.authenticate(request(callbackUrl, jar))).rejects.toBe(failure);
  });
});

describe("ClerkStrategy callback failures", () => {
  it("reports missing_flow_cookie when the browser has no cookie for the attempt", async () => {
    const { strategy, verify } = makeStrategy();
    const callbackUrl = approve(await startSignIn(strategy, new CookieJar()));
    await expectAuthError(
      strategy.authenticate(request(callbackUrl, new CookieJar())),
      "missing_flow_cookie",
      [codeOf(callbackUrl)],
    );
    expect(verify).not.toHaveBeenCalled();
  });

  it("reports state_mismatch when the callback's state is not the one in the cookie", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = new URL(approve(await startSignIn(strategy, jar)));
    callbackUrl.searchParams.set("state", createState());
    await expectAuthError(strategy.authenticate(request(callbackUrl.href, jar)), "state_mismatch");
  });

  it("reports state_mismatch when Clerk returns a different state", async () => {
    emulator.fail("authorize", { kind: "wrong-state" });
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar);
    const callbackUrl = await submitAuthorizeForm(authorizeUrl, { user_id: ADA?.id ?? "" });
    expect(new URL(callbackUrl).searchParams.get("state")).not.toBe(
      authorizeUrl.searchParams.get("state"),
    );
    await expectAuthError(strategy.authenticate(request(callbackUrl, jar)), "state_mismatch");
  });

  it("reports state_mismatch when the callback has a code but no state", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = new URL(approve(await startSignIn(strategy, jar)));
    callbackUrl.searchParams.delete("state");
    await expectAuthError(strategy.authenticate(request(callbackUrl.href, jar)), "state_mismatch");
  });

  it("reports provider_denied when the person refuses consent, keeping Clerk's error only in the cause", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = await submitAuthorizeForm(await startSignIn(strategy, jar), {
      decision: "deny",
    });
    expect(new URL(callbackUrl).searchParams.get("error")).toBe("access_denied");
    const error = await expectAuthError(
      strategy.authenticate(request(callbackUrl, jar)),
      "provider_denied",
    );
    expect(error.cause).toEqual({ error: "access_denied" });
    expect(error.message).not.toContain("denied access");
  });

  it("reports provider_unavailable when Clerk says it is temporarily unavailable", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const authorizeUrl = await startSignIn(strategy, jar);
    const callbackUrl = new URL(REDIRECT_URI);
    callbackUrl.searchParams.set("error", "temporarily_unavailable");
    callbackUrl.searchParams.set("state", authorizeUrl.searchParams.get("state") ?? "");
    const error = await expectAuthError(
      strategy.authenticate(request(callbackUrl.href, jar)),
      "provider_unavailable",
    );
    expect(error.cause).toEqual({ error: "temporarily_unavailable" });
  });

  it("reports missing_code when the callback has a valid state but no code", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = new URL(approve(await startSignIn(strategy, jar)));
    callbackUrl.searchParams.delete("code");
    await expectAuthError(strategy.authenticate(request(callbackUrl.href, jar)), "missing_code");
  });

  it.each([
    ["token", { kind: "status", status: 500 }, "provider_unavailable"],
    ["token", { kind: "status", status: 503 }, "provider_unavailable"],
    ["token", { kind: "invalid-grant" }, "token_exchange_failed"],
    ["token", { kind: "malformed-json" }, "token_exchange_failed"],
    ["token", { kind: "status", status: 401 }, "token_exchange_failed"],
    ["userinfo", { kind: "malformed-json" }, "userinfo_failed"],
    ["userinfo", { kind: "status", status: 401 }, "userinfo_failed"],
    ["userinfo", { kind: "status", status: 502 }, "provider_unavailable"],
  ] as const)("fails when %s answers with %j: %s", async (endpoint, fault, code) => {
    emulator.fail(endpoint, fault);
    const { strategy, verify } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = approve(await startSignIn(strategy, jar));
    await expectAuthError(strategy.authenticate(request(callbackUrl, jar)), code, [
      codeOf(callbackUrl),
    ]);
    expect(verify).not.toHaveBeenCalled();
  });

  it("refuses a code that was already used", async () => {
    const { strategy } = makeStrategy();
    const jar = new CookieJar();
    const callbackUrl = approve(await startSignIn(strategy, jar));
    await strategy.authenticate(request(callbackUrl, jar));
    await expectAuthError(
      strategy.authenticate(request(callbackUrl, jar)),
      "token_exchange_failed",
      [codeOf(callbackUrl)],
    );
  });

  it.each(["token", "userinfo"] as const)(
    "gives up with provider_unavailable when %s is slower than timeoutMs",
    async (endpoint) => {
      emulator.fail(endpoint, { kind: "delay", ms: 2000 });
      const { strategy } = makeStrategy({ timeoutMs: 150 });
      const jar = new CookieJar();
      const callbackUrl = approve(await startSignIn(strategy, jar));
      const started = performance.now();
      await expectAuthError(
        strategy.authenticate(request(callbackUrl, jar)),
        "provider_unavailable",
      );
      expect(performance.now() - started).toBeLessThan(1500);
    },
  );

  it("reports provider_unavailable when nothing listens at Clerk's address", async () => {
    // What fetch does when the connection is refused.
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    };
    const { strategy } = makeStrategy({ fetch: refused });
    const jar = new CookieJar();
    const callbackUrl = approve(await startSignIn(strategy, jar));
    await expectAuthError(strategy.authenticate(request(callbackUrl, jar)), "provider_unavailable");
  });
});

describe("the OAuth client after a sign-in", () => {
  async function signIn({ strategy }: { strategy: ClerkStrategy<SignedIn> }) {
    const jar = new CookieJar();
    const callbackUrl = approve(await startSignIn(strategy, jar));
    return (await strategy.authenticate(request(callbackUrl, jar))).tokens;
  }

  it("refreshes tokens with the refresh_token grant and client authentication", async () => {
    emulator.configure({ accessTokenTtlSeconds: 600 });
    const signedIn = makeStrategy();
    const { client, sent } = signedIn;
    const tokens = await signIn(signedIn);
    sent.length = 0;
    emulator.clearRequests();

    const refreshed = await client.refreshTokens(tokens.refreshToken ?? "");

    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect(refreshed.expiresAt).toBe(NOW + 600_000);
    expect(emulator.requests).toMatchObject([
      {
        method: "POST",
        path: "/oauth/token",
        headers: { authorization: "Basic …" },
        form: { grant_type: "refresh_token", refresh_token: "[redacted]" },
      },
    ]);
    expect(Object.fromEntries(new URLSearchParams(await sent[0]?.text()))).toEqual({
      grant_type: "refresh_token",
      refresh_token: tokens.refreshToken,
    });
  });

  it("keeps the old refresh token when Clerk does not rotate it", async () => {
    emulator.configure({ rotateRefreshTokens: false });
    const signedIn = makeStrategy();
    const { client } = signedIn;
    const tokens = await signIn(signedIn);
    const refreshed = await client.refreshTokens(tokens.refreshToken ?? "");
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
  });

  it("reports invalid_grant for a refresh token Clerk does not know, without echoing it", async () => {
    const { client } = makeStrategy();
    await expectAuthError(client.refreshTokens("rt_unknown_secret"), "invalid_grant", [
      "rt_unknown_secret",
    ]);
  });

  it("reports invalid_grant when the token endpoint rejects the grant", async () => {
    const signedIn = makeStrategy();
    const { client } = signedIn;
    const tokens = await signIn(signedIn);
    emulator.fail("token", { kind: "invalid-grant" });
    await expectAuthError(client.refreshTokens(tokens.refreshToken ?? ""), "invalid_grant", [
      tokens.refreshToken ?? "",
    ]);
  });

  it("revokes a refresh token so it can no longer be used", async () => {
    const signedIn = makeStrategy();
    const { client, sent } = signedIn;
    const tokens = await signIn(signedIn);
    sent.length = 0;
    emulator.clearRequests();

    await client.revokeToken(tokens.refreshToken ?? "", "refresh_token");

    expect(emulator.requests).toMatchObject([
      {
        method: "POST",
        path: "/oauth/token/revoke",
        headers: { authorization: "Basic …" },
        form: { token: "[redacted]", token_type_hint: "refresh_token" },
      },
    ]);
    expect(Object.fromEntries(new URLSearchParams(await sent[0]?.text()))).toEqual({
      token: tokens.refreshToken,
      token_type_hint: "refresh_token",
    });
    await expectAuthError(client.refreshTokens(tokens.refreshToken ?? ""), "invalid_grant");
  });

  it("reports provider_unavailable when revocation fails at Clerk", async () => {
    emulator.fail("revoke", { kind: "status", status: 500 });
    const { client } = makeStrategy();
    await expectAuthError(client.revokeToken("rt_secret_value"), "provider_unavailable", [
      "rt_secret_value",
    ]);
  });
});
