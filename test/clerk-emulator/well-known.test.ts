import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningClerkEmulator, startClerkEmulator } from "./server";

let running: RunningClerkEmulator;

beforeAll(async () => {
  running = await startClerkEmulator();
});
afterAll(async () => {
  await running.close();
});

it.each(["openid-configuration", "oauth-authorization-server"])(
  "serves /.well-known/%s with absolute URLs on the request origin",
  async (name) => {
    const response = await fetch(`${running.origin}/.well-known/${name}`);
    expect(response.status).toBe(200);
    const origin = running.origin;
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

it("builds the metadata from the Host the caller used", async () => {
  const port = new URL(running.origin).port;
  const response = await fetch(`http://localhost:${port}/.well-known/openid-configuration`);
  expect(((await response.json()) as { issuer: string }).issuer).toBe(`http://localhost:${port}`);
});

it("answers unknown paths with a 404 ClerkErrors body", async () => {
  const response = await fetch(`${running.origin}/nope`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ errors: [{ code: "resource_not_found" }] });
});
