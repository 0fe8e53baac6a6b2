import { createPublicKey, verify } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS } from "./emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "./server";
import { signIn } from "./test-support";

let running: RunningClerkEmulator;

beforeEach(async () => {
  running = await startClerkEmulator();
});
afterEach(async () => {
  await running.close();
});

describe("id_token", () => {
  it("is an RS256 JWT for the openid scope, verifiable with the served JWKS", async () => {
    const body = await signIn(running, { scope: "openid email" });
    const [header, payload, signature] = (body.id_token ?? "").split(".");
    const jwks = (await (await fetch(`${running.origin}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    const key = createPublicKey({ key: jwks.keys[0] as never, format: "jwk" });
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify("RSA-SHA256", signed, key, Buffer.from(signature ?? "", "base64url"))).toBe(true);
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    expect(claims).toMatchObject({
      iss: running.origin,
      aud: DEFAULT_CLIENT.clientId,
      sub: SEED_USERS[0]?.id,
      email: "ada@example.com",
    });
    expect(claims.given_name).toBeUndefined();
  });
});
