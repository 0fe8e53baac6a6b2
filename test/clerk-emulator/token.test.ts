import { afterEach, describe, expect, it } from "vitest";
import {
  type ClerkEmulatorServerOptions,
  type RunningClerkEmulator,
  startClerkEmulator,
} from "./server";
import {
  CALLBACK,
  codeFor,
  pkcePair,
  type TokenBody,
  tokenRequest,
  userInfo,
} from "./test-support";

let running: RunningClerkEmulator;
let clock = Date.UTC(2026, 0, 1);

async function start(options: ClerkEmulatorServerOptions = {}) {
  clock = Date.UTC(2026, 0, 1);
  running = await startClerkEmulator({ now: () => clock, ...options });
  return running;
}

afterEach(async () => {
  await running.close();
});

describe("POST /oauth/token with grant_type=authorization_code", () => {
  it("exchanges a code and verifier for Clerk's token response, not cacheable", async () => {
    await start();
    const { verifier, challenge } = pkcePair();
    const response = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: codeFor(running, challenge),
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
    expect(running.emulator.tokenIssuedCount()).toBe(1);
  });

  it.each([
    ["a wrong verifier", "x".repeat(43)],
    ["a verifier that is too short", "abc"],
  ])("refuses %s with 401 invalid_grant", async (_label, verifier) => {
    await start();
    const response = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: codeFor(running, pkcePair().challenge),
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a verifier for a code that was issued without a challenge (PKCE downgrade)", async () => {
    await start();
    const response = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: codeFor(running, undefined),
      redirect_uri: CALLBACK,
      code_verifier: pkcePair().verifier,
    });
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a reused code with 400 invalid_grant and revokes the tokens it bought", async () => {
    await start();
    const { verifier, challenge } = pkcePair();
    const form = {
      grant_type: "authorization_code",
      code: codeFor(running, challenge),
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const first = (await (await tokenRequest(running, form)).json()) as TokenBody;
    expect((await userInfo(running, first.access_token)).status).toBe(200);

    const replay = await tokenRequest(running, form);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect((await userInfo(running, first.access_token)).status).toBe(401);
    const refresh = await tokenRequest(running, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
    });
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a redirect_uri that differs from the authorize request with 400", async () => {
    await start();
    const { verifier, challenge } = pkcePair();
    const response = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: codeFor(running, challenge),
      redirect_uri: "http://localhost:8788/auth/clerk/callback",
      code_verifier: verifier,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code once codeTtlSeconds have passed, but not one second before", async () => {
    await start({ codeTtlSeconds: 600 });
    const fresh = pkcePair();
    const freshCode = codeFor(running, fresh.challenge);
    const stale = pkcePair();
    const staleCode = codeFor(running, stale.challenge);
    clock += 599_000;
    const inTime = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: freshCode,
      redirect_uri: CALLBACK,
      code_verifier: fresh.verifier,
    });
    expect(inTime.status).toBe(200);
    clock += 1_000;
    const late = await tokenRequest(running, {
      grant_type: "authorization_code",
      code: staleCode,
      redirect_uri: CALLBACK,
      code_verifier: stale.verifier,
    });
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("reports missing parameters as 400 invalid_request", async () => {
    await start();
    const response = await tokenRequest(running, { grant_type: "authorization_code" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("answers other grant types with unsupported_grant_type", async () => {
    await start();
    const response = await tokenRequest(running, { grant_type: "password" });
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});
