import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp();
});
afterAll(() => env.close());
beforeEach(() => {
  env.clerk.emulator.reset();
  // Tokens that live 30 s are always inside the app's 60 s refresh margin: every getToken refreshes.
  env.clerk.emulator.configure({ accessTokenTtlSeconds: 30 });
});

const refreshes = () =>
  env.clerk.emulator.requests.filter(
    (r) => r.path === "/oauth/token" && r.form?.grant_type === "refresh_token",
  ).length;

describe("GET /api/userinfo (getToken in a loader)", () => {
  it("refreshes an expiring access token and answers with Clerk's userinfo", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    env.clerk.emulator.clearRequests();
    const response = await env.app.fetch("/api/userinfo", { jar });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await response.json()) as { userinfo: { object: string } };
    expect(body.userinfo.object).toBe("oauth_user_info");
    expect(refreshes()).toBe(1);
    expect(JSON.stringify(body)).not.toMatch(/oat_|ort_/);
  });

  it("a token with a long life is used as is", async () => {
    env.clerk.emulator.configure({ accessTokenTtlSeconds: 86_400 });
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    env.clerk.emulator.clearRequests();
    expect((await env.app.fetch("/api/userinfo", { jar })).status).toBe(200);
    expect(refreshes()).toBe(0);
  });

  it("a refused refresh signs the user out", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    env.clerk.emulator.fail("token", { kind: "invalid-grant" });
    const response = await env.app.fetch("/api/userinfo", { jar });
    expect(response.status).toBe(401);
    expect((await env.app.fetch("/private", { jar })).status).toBe(302);
  });

  it("Clerk failing during a refresh is a 424, and the user stays signed in", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(env.app, jar);
    env.clerk.emulator.fail("token", { kind: "status", status: 500 });
    const response = await env.app.fetch("/api/userinfo", { jar });
    expect(response.status).toBe(424);
    expect(await response.json()).toEqual({ error: "provider_unavailable" });
    expect((await env.app.fetch("/private", { jar })).status).toBe(200);
  });

  it("signed out is a 401 with no call to Clerk", async () => {
    env.clerk.emulator.clearRequests();
    const response = await env.app.fetch("/api/userinfo");
    expect(response.status).toBe(401);
    expect(env.clerk.emulator.requests).toEqual([]);
  });
});
