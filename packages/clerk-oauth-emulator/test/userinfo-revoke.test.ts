import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS } from "../src/emulator";
import {
  basicAuth,
  postForm,
  signIn,
  tokenRequest,
  userInfo,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;
let clock = 0;

beforeEach(() => {
  clock = Date.UTC(2026, 0, 1);
  clerk = inProcessEmulator({ now: () => clock });
});

const ada = SEED_USERS[0];

function revoke(form: Record<string, string>, secret = DEFAULT_CLIENT.clientSecret) {
  return postForm(clerk, "/oauth/token/revoke", form, {
    authorization: basicAuth(DEFAULT_CLIENT.clientId, secret),
  });
}

describe("/oauth/userinfo", () => {
  it("returns profile and email claims for the default scopes, metadata as null", async () => {
    const { access_token } = await signIn(clerk);
    const response = await userInfo(clerk, access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: "oauth_user_info",
      instance_id: "ins_emulator",
      user_id: ada?.id,
      sub: ada?.id,
      email: "ada@example.com",
      email_verified: true,
      given_name: "Ada",
      family_name: "Lovelace",
      name: "Ada Lovelace",
      preferred_username: "ada",
      username: "ada",
      picture: expect.stringMatching(/^data:image\/svg\+xml,/),
      public_metadata: null,
      unsafe_metadata: null,
      private_metadata: null,
      org_id: null,
      org_name: null,
      org_slug: null,
    });
  });

  it("includes metadata only with public_metadata, and omits profile without profile", async () => {
    const { access_token } = await signIn(clerk, { scope: "email public_metadata" });
    const response = await clerk.fetch(`${clerk.origin}/oauth/userinfo`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}` },
    });
    const body = await response.json();
    expect(body).toMatchObject({
      email: "ada@example.com",
      public_metadata: { role: "admin" },
      unsafe_metadata: { theme: "dark" },
      given_name: null,
      name: null,
      picture: null,
    });
  });

  it("answers a missing, unknown or expired token with 401 and Clerk's error body", async () => {
    clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
    const { access_token } = await signIn(clerk);
    clock += 30_000;
    const attempts = [
      clerk.fetch(`${clerk.origin}/oauth/userinfo`),
      userInfo(clerk, "oat_made_up"),
      userInfo(clerk, access_token),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: "Invalid authentication",
            long_message: expect.any(String),
            code: "authentication_invalid",
          },
        ],
        clerk_trace_id: expect.any(String),
      });
    }
  });

  it("shows profile edits made through the Backend API", async () => {
    const { access_token } = await signIn(clerk);
    await clerk.fetch(`${clerk.origin}/v1/users/${ada?.id}`, {
      method: "PATCH",
      headers: { authorization: "Bearer sk_test_emulator", "content-type": "application/json" },
      body: JSON.stringify({ first_name: "Augusta" }),
    });
    expect(await (await userInfo(clerk, access_token)).json()).toMatchObject({
      given_name: "Augusta",
      name: "Augusta Lovelace",
    });
  });
});

describe("/oauth/token/revoke", () => {
  it("revokes a refresh token together with its access tokens, answering an empty 200", async () => {
    const tokens = await signIn(clerk);
    const response = await revoke({
      token: tokens.refresh_token ?? "",
      token_type_hint: "refresh_token",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect((await userInfo(clerk, tokens.access_token)).status).toBe(401);
    const refresh = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token ?? "",
    });
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("revokes just an access token, leaving its refresh token usable", async () => {
    const tokens = await signIn(clerk);
    expect((await revoke({ token: tokens.access_token })).status).toBe(200);
    expect((await userInfo(clerk, tokens.access_token)).status).toBe(401);
    const refresh = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token ?? "",
    });
    expect(refresh.status).toBe(200);
  });

  it("answers 200 for an unknown token, as RFC 7009 asks", async () => {
    expect((await revoke({ token: "ort_never_issued" })).status).toBe(200);
  });

  it("answers a bad client secret with 401 invalid_client and revokes nothing", async () => {
    const tokens = await signIn(clerk);
    const response = await revoke({ token: tokens.access_token }, "wrong");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
    expect((await userInfo(clerk, tokens.access_token)).status).toBe(200);
  });
});
