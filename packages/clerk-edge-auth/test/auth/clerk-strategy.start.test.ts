import { describe, expect, it, vi } from "vitest";
import { ClerkStrategy } from "../../src/auth/clerk-strategy.server.js";
import {
  createFlowCookieStore,
  SECURE_FLOW_COOKIE_PREFIX,
} from "../../src/auth/flow-cookie.server.js";
import { createClerkOAuthClient } from "../../src/auth/oauth-client.server.js";
import { createCodeChallenge } from "../../src/auth/pkce.server.js";
import { DEFAULT_SCOPES } from "../../src/config/clerk-settings.js";
import type { AppConfig } from "../../src/config/config.server.js";
import { caught } from "../../../../test/support/catch-response";
import { parseSetCookie } from "../../../../test/support/cookie-jar";

const SECRET = "flow-cookie-secret";

const CLERK: AppConfig["clerk"] = {
  origin: "https://clerk.example.com",
  clientId: "client_123",
  clientSecret: "secret_456",
  callbackUrl: null,
  scopes: [...DEFAULT_SCOPES],
};

interface Overrides {
  clerk?: Partial<AppConfig["clerk"]>;
  defaultRedirectTo?: string;
  now?: () => number;
}

function makeStrategy({ clerk, ...overrides }: Overrides = {}) {
  const fetchSpy = vi.fn<typeof fetch>(() => {
    throw new Error("the start of a sign-in must not call Clerk");
  });
  const settings = { ...CLERK, ...clerk };
  const strategy = new ClerkStrategy(
    {
      clerk: settings,
      cookieSecrets: [SECRET],
      client: createClerkOAuthClient(settings, { fetch: fetchSpy }),
      ...overrides,
    },
    async () => "user",
  );
  return { strategy, fetchSpy };
}

async function readFlow(
  response: Response,
  state: string,
  now: number,
  url = "https://app.example/",
) {
  const { name, value } = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
  const request = new Request(url, { headers: { Cookie: `${name}=${value}` } });
  return createFlowCookieStore({ secrets: [SECRET], now: () => now }).read(request, state);
}

async function start(strategy: ClerkStrategy<string>, url: string) {
  const response = await caught(strategy.authenticate(new Request(url)), Response);
  const location = new URL(response.headers.get("Location") ?? "");
  return { response, location, params: Object.fromEntries(location.searchParams) };
}

describe("ClerkStrategy start", () => {
  it("redirects to Clerk's authorize endpoint with exactly the code, state and S256 parameters", async () => {
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
    expect(params.scope).toBe("openid profile email offline_access public_metadata");
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge_method).toBe("S256");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("stores state, verifier and redirectTo in a per-attempt cookie whose verifier matches the challenge", async () => {
    const { strategy } = makeStrategy({ now: () => 1_700_000_000_000 });
    const { response, params } = await start(
      strategy,
      "https://app.example/login?redirectTo=%2Fprivate%3Ftab%3D2",
    );
    const setCookie = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
    expect(setCookie.name).toBe(`${SECURE_FLOW_COOKIE_PREFIX}${params.state?.slice(0, 16)}`);
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

  it("forwards no other query parameters from the login URL", async () => {
    const { strategy } = makeStrategy();
    const { params } = await start(
      strategy,
      "https://app.example/login?prompt=none&scope=private_metadata&client_id=evil&redirect_uri=https%3A%2F%2Fevil.com&foo=bar",
    );
    expect(params.prompt).toBeUndefined();
    expect(params.foo).toBeUndefined();
    expect(params.scope).toBe("openid profile email offline_access public_metadata");
    expect(params.client_id).toBe("client_123");
    expect(params.redirect_uri).toBe("https://app.example/auth/clerk/callback");
  });

  it("issues a fresh state and challenge on every start", async () => {
    const { strategy } = makeStrategy();
    const first = await start(strategy, "https://app.example/login");
    const second = await start(strategy, "https://app.example/login");
    expect(first.params.state).not.toBe(second.params.state);
    expect(first.params.code_challenge).not.toBe(second.params.code_challenge);
  });

  it.each([
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

  it("uses the configured callback URL verbatim and the configured default redirect", async () => {
    const { strategy } = makeStrategy({
      clerk: { callbackUrl: "https://login.example/auth/clerk/callback?x=1" },
      defaultRedirectTo: "/home",
    });
    const { response, params } = await start(
      strategy,
      "http://localhost:8788/login?redirectTo=//x",
    );
    expect(params.redirect_uri).toBe("https://login.example/auth/clerk/callback?x=1");
    expect(
      await readFlow(response, params.state ?? "", Date.now(), "http://localhost:8788/"),
    ).toMatchObject({
      redirectTo: "/home",
    });
  });

  it("asks for exactly the scopes of the checked settings", async () => {
    const { strategy } = makeStrategy({ clerk: { scopes: ["profile", "email", "custom:read"] } });
    const { params } = await start(strategy, "https://app.example/login");
    expect(params.scope).toBe("profile email custom:read");
  });

  it("stores /private instead of a redirectTo whose percent-encoded form is too long", async () => {
    const { strategy } = makeStrategy({ now: () => 5 });
    const query = new URLSearchParams({ redirectTo: `/${"€".repeat(300)}` });
    const { response, params } = await start(strategy, `https://app.example/login?${query}`);
    expect(await readFlow(response, params.state ?? "", 5)).toMatchObject({
      redirectTo: "/private",
    });
  });

  it("sets the flow cookie without Secure on plain http", async () => {
    const { strategy } = makeStrategy();
    const { response } = await start(strategy, "http://localhost:8788/login");
    const { attributes } = parseSetCookie(response.headers.get("Set-Cookie") ?? "");
    expect(attributes.has("secure")).toBe(false);
  });
});

describe("ClerkStrategy flow cookies at the callback", () => {
  it("is named clerk", () => {
    expect(makeStrategy().strategy.name).toBe("clerk");
  });

  it("has no attempt to clear when the request carries no state", async () => {
    const { strategy } = makeStrategy();
    const request = new Request("https://app.example/auth/clerk/callback");
    await expect(strategy.clearFlowCookies(request, "attempt")).resolves.toEqual([]);
  });

  it("has no attempt to clear when the state could not have been issued by us", async () => {
    const { strategy } = makeStrategy();
    const url = "https://app.example/auth/clerk/callback?state=bad%3Bstate";
    await expect(strategy.clearFlowCookies(new Request(url), "attempt")).resolves.toEqual([]);
  });

  it("clears the attempt named by state, or every flow cookie the browser sent", async () => {
    const { strategy } = makeStrategy();
    const first = await start(strategy, "https://app.example/login");
    const second = await start(strategy, "https://app.example/login");
    const cookie = [first.response, second.response]
      .map((response) => (response.headers.get("Set-Cookie") ?? "").split(";")[0])
      .join("; ");
    const url = `https://app.example/auth/clerk/callback?state=${first.params.state}&code=x`;
    const request = new Request(url, { headers: { Cookie: cookie } });
    const names = async (which: "attempt" | "all") =>
      (await strategy.clearFlowCookies(request, which)).map(
        (header) => parseSetCookie(header).name,
      );
    const name = (state = "") => `${SECURE_FLOW_COOKIE_PREFIX}${state.slice(0, 16)}`;
    expect(await names("attempt")).toEqual([name(first.params.state)]);
    expect((await names("all")).sort()).toEqual(
      [name(first.params.state), name(second.params.state)].sort(),
    );
  });
});
