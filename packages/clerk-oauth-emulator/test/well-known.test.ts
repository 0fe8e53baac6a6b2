import { beforeAll, expect, it } from "vitest";
import { type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;

beforeAll(() => {
  clerk = inProcessEmulator();
});

it.each(["openid-configuration", "oauth-authorization-server"])(
  "serves /.well-known/%s with absolute URLs on the request origin",
  async (name) => {
    const response = await clerk.fetch(`${clerk.origin}/.well-known/${name}`);
    expect(response.status).toBe(200);
    const origin = clerk.origin;
    expect(await response.json()).toMatchObject({
      issuer: origin,
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      userinfo_endpoint: `${origin}/oauth/userinfo`,
      revocation_endpoint: `${origin}/oauth/token/revoke`,
      jwks_uri: `${origin}/.well-known/jwks.json`,
      scopes_supported: expect.arrayContaining(["profile", "email", "public_metadata"]),
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      code_challenge_methods_supported: ["S256"],
    });
  },
);

it("answers unknown paths with a 404 ClerkErrors body", async () => {
  const response = await clerk.fetch(`${clerk.origin}/nope`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ errors: [{ code: "resource_not_found" }] });
});
