import { describe, expect, it } from "vitest";
import type { ClerkEmulatorOptions } from "../src/emulator";
import {
  CALLBACK,
  codeFor,
  pkcePair,
  type TokenBody,
  tokenRequest,
  userInfo,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;
let clock = Date.UTC(2026, 0, 1);

function start(options: ClerkEmulatorOptions = {}) {
  clock = Date.UTC(2026, 0, 1);
  clerk = inProcessEmulator({ now: () => clock, ...options });
}

describe("POST /oauth/token with grant_type=authorization_code", () => {
  it("exchanges a code and verifier for Clerk's token response, not cacheable", async () => {
    start();
    const { verifier, challenge } = pkcePair();
    const response = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: codeFor(clerk, challenge),
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as TokenBody;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^oat_/),
      token_type: "Bearer",
      expires_in: 86400,
      refresh_token: expect.stringMatching(/^ort_/),
      scope: "profile email",
    });
    expect(clerk.emulator.tokenIssuedCount()).toBe(1);
  });

  it.each([
    ["a wrong verifier", "x".repeat(43)],
    ["a verifier that is too short", "abc"],
  ])("refuses %s with 401 invalid_grant", async (_label, verifier) => {
    start();
    const response = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: codeFor(clerk, pkcePair().challenge),
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a verifier for a code that was issued without a challenge (PKCE downgrade)", async () => {
    start();
    const response = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: codeFor(clerk, undefined),
      redirect_uri: CALLBACK,
      code_verifier: pkcePair().verifier,
    });
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a reused code with 400 invalid_grant and revokes the tokens it bought", async () => {
    start();
    const { verifier, challenge } = pkcePair();
    const form = {
      grant_type: "authorization_code",
      code: codeFor(clerk, challenge),
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const first = (await (await tokenRequest(clerk, form)).json()) as TokenBody;
    expect((await userInfo(clerk, first.access_token)).status).toBe(200);

    const replay = await tokenRequest(clerk, form);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect((await userInfo(clerk, first.access_token)).status).toBe(401);
    const refresh = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
    });
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a redirect_uri that differs from the authorize request with 400", async () => {
    start();
    const { verifier, challenge } = pkcePair();
    const response = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: codeFor(clerk, challenge),
      redirect_uri: "http://localhost:8788/auth/clerk/callback",
      code_verifier: verifier,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code once codeTtlSeconds have passed, but not one second before", async () => {
    start({ codeTtlSeconds: 600 });
    const fresh = pkcePair();
    const freshCode = codeFor(clerk, fresh.challenge);
    const stale = pkcePair();
    const staleCode = codeFor(clerk, stale.challenge);
    clock += 599_000;
    const inTime = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: freshCode,
      redirect_uri: CALLBACK,
      code_verifier: fresh.verifier,
    });
    expect(inTime.status).toBe(200);
    clock += 1_000;
    const late = await tokenRequest(clerk, {
      grant_type: "authorization_code",
      code: staleCode,
      redirect_uri: CALLBACK,
      code_verifier: stale.verifier,
    });
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("reports missing parameters as 400 invalid_request", async () => {
    start();
    const response = await tokenRequest(clerk, { grant_type: "authorization_code" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("answers other grant types with unsupported_grant_type", async () => {
    start();
    const response = await tokenRequest(clerk, { grant_type: "password" });
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});
