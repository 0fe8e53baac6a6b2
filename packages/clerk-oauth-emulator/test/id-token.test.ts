import { createPublicKey, verify } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS } from "../src/emulator";
import { signIn, type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

describe("id_token", () => {
  it("is an RS256 JWT for the openid scope, verifiable with the served JWKS", async () => {
    const body = await signIn(clerk, { scope: "openid email" });
    const [header, payload, signature] = (body.id_token ?? "").split(".");
    const jwks = (await (await clerk.fetch(`${clerk.origin}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    const key = createPublicKey({ key: jwks.keys[0] as never, format: "jwk" });
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify("RSA-SHA256", signed, key, Buffer.from(signature ?? "", "base64url"))).toBe(true);
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    expect(claims).toMatchObject({
      iss: clerk.origin,
      aud: DEFAULT_CLIENT.clientId,
      sub: SEED_USERS[0]?.id,
      email: "ada@example.com",
    });
    expect(claims.given_name).toBeUndefined();
  });
});
