import { describe, expect, it, vi } from "vitest";
import { AuthError, type AuthErrorCode } from "../../src/auth/auth-error.js";
import { createClerkOAuthClient } from "../../src/auth/oauth-client.server.js";
import { caught } from "../../../../test/support/catch-response";

const NOW = 1_750_000_000_000;
const SECRETS = ["client sec:ret/+", "the-code", "the-verifier", "at_secret", "rt_secret"];

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function clientAnswering(
  answer: (request: Request) => Response | Promise<Response>,
  timeoutMs?: number,
) {
  const requests: Request[] = [];
  const fetchStub = vi.fn<typeof fetch>(async (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    return answer(request);
  });
  const client = createClerkOAuthClient(
    {
      origin: "https://clerk.example.com",
      clientId: "client:id",
      clientSecret: "client sec:ret/+",
      scopes: ["profile", "email"],
    },
    { fetch: fetchStub, now: () => NOW, timeoutMs },
  );
  return { client, requests };
}

async function expectAuthError(promise: Promise<unknown>, code: AuthErrorCode): Promise<AuthError> {
  const error = await caught(promise, AuthError);
  expect(error.code).toBe(code);
  for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  return error;
}

type Client = ReturnType<typeof clientAnswering>["client"];

const exchange = (client: Client) =>
  client.exchangeCode({
    code: "the-code",
    codeVerifier: "the-verifier",
    redirectUri: "https://app.example/auth/clerk/callback",
  });

describe("createClerkOAuthClient token responses", () => {
  it("narrows a full token response, with a lower-case token type", async () => {
    const { client } = clientAnswering(() =>
      json({
        access_token: "at_secret",
        token_type: "bearer",
        expires_in: 86400,
        refresh_token: "rt_secret",
        scope: "profile  email public_metadata",
        id_token: "header.payload.sig",
      }),
    );
    await expect(exchange(client)).resolves.toEqual({
      accessToken: "at_secret",
      refreshToken: "rt_secret",
      expiresAt: NOW + 86_400_000,
      scope: ["profile", "email", "public_metadata"],
      idToken: "header.payload.sig",
    });
  });

  it("fills in the requested scope and nulls when optional fields are absent", async () => {
    // token_type too: Clerk only issues Bearer tokens, so an absent one is read as Bearer.
    const { client } = clientAnswering(() => json({ access_token: "at" }));
    await expect(exchange(client)).resolves.toEqual({
      accessToken: "at",
      refreshToken: null,
      expiresAt: null,
      scope: ["profile", "email"],
      idToken: null,
    });
  });

  it("form-urlencodes id and secret before Basic encoding, as RFC 6749 §2.3.1 asks", async () => {
    const { client, requests } = clientAnswering(() =>
      json({ access_token: "at", token_type: "Bearer" }),
    );
    await exchange(client);
    const [request] = requests;
    expect(request?.headers.get("Authorization")).toBe(
      `Basic ${btoa("client%3Aid:client+sec%3Aret%2F%2B")}`,
    );
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("https://clerk.example.com/oauth/token");
    expect(request?.redirect).toBe("manual");
    expect(Object.fromEntries(new URLSearchParams(await request?.text()))).toEqual({
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: "https://app.example/auth/clerk/callback",
      code_verifier: "the-verifier",
    });
  });

  it.each([
    ["no access_token", { token_type: "Bearer" }],
    ["an empty access_token", { access_token: "", token_type: "Bearer" }],
    ["a non-Bearer token_type", { access_token: "at", token_type: "mac" }],
    ["a null token_type", { access_token: "at", token_type: null }],
    ["a negative expires_in", { access_token: "at", token_type: "Bearer", expires_in: -1 }],
    ["a string expires_in", { access_token: "at", token_type: "Bearer", expires_in: "3600" }],
    ["a numeric scope", { access_token: "at", token_type: "Bearer", scope: 7 }],
    ["a numeric refresh_token", { access_token: "at", token_type: "Bearer", refresh_token: 1 }],
    ["an object id_token", { access_token: "at", token_type: "Bearer", id_token: {} }],
    ["an array body", [{ access_token: "at", token_type: "Bearer" }]],
  ])("fails the exchange for %s", async (_label, body) => {
    const { client } = clientAnswering(() => json(body));
    await expectAuthError(exchange(client), "token_exchange_failed");
  });

  it("keeps the provider's error fields in the cause, not the message", async () => {
    const { client } = clientAnswering(() =>
      json({ error: "invalid_client", error_description: "secret client sec:ret/+ is wrong" }, 401),
    );
    const error = await expectAuthError(exchange(client), "token_exchange_failed");
    expect(error.cause).toEqual({
      endpoint: "token",
      status: 401,
      error: "invalid_client",
      errorDescription: "secret client sec:ret/+ is wrong",
    });
  });

  it("treats a redirect from the token endpoint as a failure and does not follow it", async () => {
    const { client, requests } = clientAnswering(
      () => new Response(null, { status: 307, headers: { Location: "https://evil.example/" } }),
    );
    await expectAuthError(exchange(client), "token_exchange_failed");
    expect(requests).toHaveLength(1);
  });

  it("cancels the unread body of a 5xx answer", async () => {
    const cancel = vi.fn();
    const body = new ReadableStream({ cancel });
    const { client } = clientAnswering(() => new Response(body, { status: 503 }));
    await expectAuthError(exchange(client), "provider_unavailable");
    expect(cancel).toHaveBeenCalled();
  });

  it("reports a body that breaks off mid-read as provider_unavailable", async () => {
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new TypeError("connection reset"));
      },
    });
    const { client } = clientAnswering(() => new Response(body, { status: 200 }));
    await expectAuthError(exchange(client), "provider_unavailable");
  });
});

describe("createClerkOAuthClient refresh", () => {
  it("keeps the old refresh token when Clerk does not rotate it", async () => {
    const { client, requests } = clientAnswering(() =>
      json({ access_token: "at2", token_type: "Bearer", expires_in: 60 }),
    );
    await expect(client.refreshTokens("rt_secret")).resolves.toMatchObject({
      accessToken: "at2",
      refreshToken: "rt_secret",
      expiresAt: NOW + 60_000,
    });
    expect(Object.fromEntries(new URLSearchParams(await requests[0]?.text()))).toEqual({
      grant_type: "refresh_token",
      refresh_token: "rt_secret",
    });
  });

  it("maps invalid_grant on a refresh to its own code, other 4xx to token_exchange_failed", async () => {
    const dead = clientAnswering(() => json({ error: "invalid_grant" }, 400));
    await expectAuthError(dead.client.refreshTokens("rt_secret"), "invalid_grant");
    const other = clientAnswering(() => json({ error: "invalid_client" }, 401));
    await expectAuthError(other.client.refreshTokens("rt_secret"), "token_exchange_failed");
  });
});

describe("createClerkOAuthClient userinfo", () => {
  const userinfo = {
    object: "oauth_user_info",
    instance_id: "ins_1",
    user_id: "user_1",
    sub: "user_1",
    email: "ada@example.com",
    email_verified: true,
    given_name: "Ada",
    family_name: "Lovelace",
    name: null,
    preferred_username: "ada",
    picture: "https://img.example/ada.png",
    public_metadata: { role: "admin" },
  };

  it("narrows userinfo into a profile and sends the access token as Bearer", async () => {
    const { client, requests } = clientAnswering(() => json(userinfo));
    await expect(client.fetchUserInfo("at_secret")).resolves.toEqual({
      id: "user_1",
      email: "ada@example.com",
      emailVerified: true,
      firstName: "Ada",
      lastName: "Lovelace",
      fullName: "Ada Lovelace",
      username: "ada",
      imageUrl: "https://img.example/ada.png",
      publicMetadata: { role: "admin" },
      raw: userinfo,
    });
    expect(requests[0]?.url).toBe("https://clerk.example.com/oauth/userinfo");
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer at_secret");
  });

  it("falls back to the deprecated username and to null for wrongly typed display fields", async () => {
    const { client } = clientAnswering(() =>
      json({ user_id: "user_2", sub: "user_2", username: "old", email: 5, public_metadata: [] }),
    );
    await expect(client.fetchUserInfo("at")).resolves.toMatchObject({
      id: "user_2",
      username: "old",
      email: null,
      emailVerified: false,
      fullName: null,
      publicMetadata: {},
    });
  });

  it.each([
    ["only sub", { sub: "user_1" }],
    ["only user_id", { user_id: "user_1" }],
  ])("accepts a userinfo body with %s as the user id", async (_label, body) => {
    const { client } = clientAnswering(() => json(body));
    expect((await client.fetchUserInfo("at")).id).toBe("user_1");
  });

  it.each([
    ["neither sub nor user_id", { email: "a@example.com" }],
    ["a null sub beside user_id", { sub: null, user_id: "user_1" }],
    ["user_id different from sub", { user_id: "user_1", sub: "user_2" }],
    ["a numeric sub", { user_id: 1, sub: 1 }],
  ])("fails userinfo with %s", async (_label, body) => {
    const { client } = clientAnswering(() => json(body));
    await expectAuthError(client.fetchUserInfo("at"), "userinfo_failed");
  });

  it("keeps Clerk's error codes from a 401 in the cause", async () => {
    const { client } = clientAnswering(() =>
      json({ errors: [{ code: "authentication_invalid", message: "Unauthorized" }] }, 401),
    );
    const error = await expectAuthError(client.fetchUserInfo("at_secret"), "userinfo_failed");
    expect(error.cause).toEqual({
      endpoint: "userinfo",
      status: 401,
      error: "authentication_invalid",
    });
  });
});

describe("createClerkOAuthClient revoke", () => {
  it("posts the token and hint with client authentication", async () => {
    const { client, requests } = clientAnswering(() => new Response(null, { status: 200 }));
    await expect(client.revokeToken("rt_secret", "refresh_token")).resolves.toBeUndefined();
    expect(requests[0]?.url).toBe("https://clerk.example.com/oauth/token/revoke");
    expect(requests[0]?.headers.get("Authorization")).toMatch(/^Basic /);
    expect(Object.fromEntries(new URLSearchParams(await requests[0]?.text()))).toEqual({
      token: "rt_secret",
      token_type_hint: "refresh_token",
    });
  });

  it("reports a refused revocation with its own code, revocation_refused", async () => {
    const { client } = clientAnswering(() => json({ error: "unsupported_token_type" }, 400));
    const error = await expectAuthError(client.revokeToken("at_secret"), "revocation_refused");
    expect(error.cause).toMatchObject({
      endpoint: "revoke",
      status: 400,
      error: "unsupported_token_type",
    });
  });
});

describe("createClerkOAuthClient deadline", () => {
  const neverEnding = () => new ReadableStream({ pull: () => new Promise(() => {}) });

  it("gives up on a Clerk that does not answer, as provider_unavailable", async () => {
    const { client } = clientAnswering(() => new Promise<Response>(() => {}), 50);
    await expectAuthError(exchange(client), "provider_unavailable");
  });

  it.each([
    ["the token endpoint", (client: Client) => exchange(client)],
    ["userinfo", (client: Client) => client.fetchUserInfo("at_secret")],
    ["revocation", (client: Client) => client.revokeToken("rt_secret")],
  ])("cuts off %s when the body stops arriving, body included in the deadline", async (_, call) => {
    const { client } = clientAnswering(() => new Response(neverEnding(), { status: 400 }), 50);
    const started = Date.now();
    const error = await expectAuthError(call(client), "provider_unavailable");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.cause).toMatchObject({ error: { name: "DeadlineError" } });
  });
});
