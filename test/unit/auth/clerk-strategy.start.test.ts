import { describe, expect, test, vi } from "vitest";
import { createCodeChallenge } from "~/auth/pkce.server";
import { ClerkStrategy } from "~/auth/clerk-strategy.server";
import { createFlowCookieStore } from "~/auth/flow-cookie.server";
import { ConfigError } from "~/config/config-error";
import { catchResponse } from "../../support/catch-response";
import { parseSetCookie } from "../../support/cookie-jar";

const SECRET = "flow-cookie-secret";

function makeStrategy(overrides: Partial<ClerkStrategy.ConstructorOptions> = {}) {
  const fetchSpy = vi.fn<typeof fetch>(() => {
    throw new Error("the start of a sign-in must not call Clerk");
  });
  const strategy = new ClerkStrategy(
    {
      domain: "clerk.example.com",
      clientId: "client_123",
      clientSecret: "secret_456",
      cookieSecrets: [SECRET],
      fetch: fetchSpy,
      ...overrides,
    } as ClerkStrategy.ConstructorOptions,
    async () => "user",
  );
  return { strategy, fetchSpy };
}

async function readFlow(response: Response, state: string, now: number) {
  const { name, value } = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
  const request = new Request("https://app.example/", { headers: { Cookie: `${name}=${value}` } });
  return createFlowCookieStore({ secrets: [SECRET], now: () => now }).read(request, state);
}

async function start(strategy: ClerkStrategy<string>, url: string) {
  const response = await catchResponse(strategy.authenticate(new Request(url)));
  const location = new URL(response.headers.get("Location") ?? "");
  return { response, location, params: Object.fromEntries(location.searchParams) };
}

describe("ClerkStrategy start", () => {
  test("redirects to Clerk's authorize endpoint with exactly the code, state and S256 parameters", async () => {
    const { strategy, fetchSpy } = makeStrategy();
    const { response, location, params } = await start(
      strategy,
      "https://app.example/login?redirectTo=%2Fprivate%3Ftab%3D2",
    );

    expect(response.status).toBe(302);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(location.origin).toBe("https://clerk.example.com");
    expect(location.pathname).toBe("/oauth/authorize");
    expect(Object.keys(params).sort()).toEqual(
      [
        "client_id",
        "code_challenge",
        "code_challenge_method",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
      ].sort(),
    );
    expect(params.response_type).toBe("code");
    expect(params.client_id).toBe("client_123");
    expect(params.redirect_uri).toBe("https://app.example/auth/clerk/callback");
    expect(params.scope).toBe("profile email public_metadata");
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge_method).toBe("S256");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test("stores state, verifier and redirectTo in a per-attempt cookie whose verifier matches the challenge", async () => {
    const { strategy } = makeStrategy({ now: () => 1_700_000_000_000 });
    const { response, params } = await start(
      strategy,
      "https://app.example/login?redirectTo=%2Fprivate%3Ftab%3D2",
    );
    const setCookie = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
    expect(setCookie.name).toBe(`__clerk_flow_${params.state?.slice(0, 16)}`);
    expect(setCookie.attributes.get("max-age")).toBe("600");
    expect(setCookie.attributes.get("path")).toBe("/");
    expect(setCookie.attributes.get("samesite")).toBe("Lax");
    expect(setCookie.attributes.has("httponly")).toBe(true);
    expect(setCookie.attributes.has("secure")).toBe(true);
    expect(setCookie.attributes.has("domain")).toBe(false);

    const flow = await readFlow(response, params.state ?? "", 1_700_000_000_000);
    expect(flow).toEqual({
      state: params.state,
      verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      redirectTo: "/private?tab=2",
      createdAt: 1_700_000_000_000,
    });
    if (typeof flow === "string") throw new Error(flow);
    await expect(createCodeChallenge(flow.verifier)).resolves.toBe(params.code_challenge);
  });

  test("forwards no other query parameters from the login URL", async () => {
    const { strategy } = makeStrategy();
    const { params } = await start(
      strategy,
      "https://app.example/login?prompt=none&scope=private_metadata&client_id=evil&redirect_uri=https%3A%2F%2Fevil.com&foo=bar",
    );
    expect(params.prompt).toBeUndefined();
    expect(params.foo).toBeUndefined();
    expect(params.scope).toBe("profile email public_metadata");
    expect(params.client_id).toBe("client_123");
    expect(params.redirect_uri).toBe("https://app.example/auth/clerk/callback");
  });

  test("issues a fresh state and challenge on every start", async () => {
    const { strategy } = makeStrategy();
    const first = await start(strategy, "https://app.example/login");
    const second = await start(strategy, "https://app.example/login");
    expect(first.params.state).not.toBe(second.params.state);
    expect(first.params.code_challenge).not.toBe(second.params.code_challenge);
  });

  test.each([
    ["//evil.com", "/private"],
    ["https://evil.com", "/private"],
    ["/\\evil.com", "/private"],
    [null, "/private"],
    ["/account", "/account"],
  ])("stores the redirectTo %j as %j", async (redirectTo, expected) => {
    const { strategy } = makeStrategy({ now: () => 5 });
    const query = redirectTo === null ? "" : `?redirectTo=${encodeURIComponent(redirectTo)}`;
    const { response, params } = await start(strategy, `https://app.example/login${query}`);
    expect(await readFlow(response, params.state ?? "", 5)).toMatchObject({ redirectTo: expected });
  });

  test("uses the configured callback URL verbatim and the configured default redirect", async () => {
    const { strategy } = makeStrategy({
      callbackUrl: "https://login.example/auth/clerk/callback?x=1",
      defaultRedirectTo: "/home",
    });
    const { response, params } = await start(
      strategy,
      "http://localhost:8788/login?redirectTo=//x",
    );
    expect(params.redirect_uri).toBe("https://login.example/auth/clerk/callback?x=1");
    expect(await readFlow(response, params.state ?? "", Date.now())).toMatchObject({
      redirectTo: "/home",
    });
  });

  test("accepts remix-auth-oauth2's clientID and callbackURL spellings", async () => {
    const strategy = new ClerkStrategy(
      {
        domain: "http://127.0.0.1:4010",
        clientID: "legacy_client",
        clientSecret: "secret",
        callbackURL: "http://localhost:8788/auth/clerk/callback",
        cookieSecrets: [SECRET],
      },
      async () => "user",
    );
    const { location, params } = await start(strategy, "http://localhost:8788/login");
    expect(location.origin).toBe("http://127.0.0.1:4010");
    expect(params.client_id).toBe("legacy_client");
    expect(params.redirect_uri).toBe("http://localhost:8788/auth/clerk/callback");
  });

  test("always asks for profile and email, and de-duplicates scopes", async () => {
    const { strategy } = makeStrategy({ scopes: ["openid", "email", "offline_access"] });
    const { params } = await start(strategy, "https://app.example/login");
    expect(params.scope).toBe("profile email openid offline_access");
  });

  test("sets the flow cookie without Secure on plain http", async () => {
    const { strategy } = makeStrategy();
    const { response } = await start(strategy, "http://localhost:8788/login");
    const { attributes } = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
    expect(attributes.has("secure")).toBe(false);
  });
});

describe("ClerkStrategy configuration", () => {
  test.each([
    ["CLERK_DOMAIN", { domain: "https://clerk.example.com/path" }],
    ["CLERK_DOMAIN", { domain: "" }],
    ["CLERK_CLIENT_ID", { clientId: " " }],
    ["CLERK_CLIENT_SECRET", { clientSecret: "" }],
    ["CLERK_CALLBACK_URL", { callbackUrl: "/auth/clerk/callback" }],
    ["SESSION_SECRET", { cookieSecrets: [] }],
  ])("throws a ConfigError naming %s when it is unusable", (binding, overrides) => {
    let thrown: unknown;
    try {
      makeStrategy(overrides);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ binding });
  });

  test("never puts the client secret into a configuration error", () => {
    expect(() => makeStrategy({ domain: "not a domain", clientSecret: "sk_very_secret" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("sk_very_secret") }),
    );
  });

  test("is named clerk", () => {
    expect(makeStrategy().strategy.name).toBe("clerk");
  });

  test("has no flow cookie to clear when the request carries no state", async () => {
    const { strategy } = makeStrategy();
    await expect(
      strategy.clearFlowCookie(new Request("https://app.example/auth/clerk/callback")),
    ).resolves.toBeNull();
  });

  test("has no flow cookie to clear when the state could not have been issued by us", async () => {
    const { strategy } = makeStrategy();
    const url = "https://app.example/auth/clerk/callback?state=bad%3Bstate";
    await expect(strategy.clearFlowCookie(new Request(url))).resolves.toBeNull();
  });
});
