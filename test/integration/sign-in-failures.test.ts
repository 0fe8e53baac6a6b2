import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FLOW_COOKIE_PREFIX } from "clerk-edge-auth";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import type { Fault, FaultEndpoint } from "clerk-oauth-emulator";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar, setCookieFor } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp();
});
afterAll(() => env.close());
beforeEach(() => env.clerk.emulator.reset());

async function sessionCount(): Promise<number> {
  return (await (await env.app.kv()).list({ prefix: "session:" })).keys.length;
}

/** A failed callback: a 302 to the error page with the code, no session, the flow cookie cleared. */
async function expectFailedCallback(callback: Response, jar: CookieJar, code: string) {
  expect(callback.status).toBe(302);
  expect(callback.headers.get("Location")).toBe(`/auth/error?code=${code}`);
  expect(setCookieFor(callback, SESSION_COOKIE_NAME.http)).toBeUndefined();
  expect(jar.get(SESSION_COOKIE_NAME.http)).toBeUndefined();
  expect(jar.names().filter((name) => name.startsWith(FLOW_COOKIE_PREFIX))).toEqual([]);
  const page = await env.app.fetch(callback.headers.get("Location") ?? "", { jar });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('href="/login');
  expect(html).toContain(code);
}

describe("a failed sign-in", () => {
  it.each<[string, FaultEndpoint, Fault, string]>([
    [
      "the token endpoint answers 500",
      "token",
      { kind: "status", status: 500 },
      "provider_unavailable",
    ],
    [
      "the code is refused (invalid_grant)",
      "token",
      { kind: "invalid-grant" },
      "token_exchange_failed",
    ],
    [
      "the token endpoint sends malformed JSON",
      "token",
      { kind: "malformed-json" },
      "token_exchange_failed",
    ],
    ["userinfo answers 401", "userinfo", { kind: "status", status: 401 }, "userinfo_failed"],
    ["userinfo sends malformed JSON", "userinfo", { kind: "malformed-json" }, "userinfo_failed"],
    ["userinfo answers 503", "userinfo", { kind: "status", status: 503 }, "provider_unavailable"],
    ["Clerk sends back another state", "authorize", { kind: "wrong-state" }, "state_mismatch"],
  ])("when %s, goes to the error page with no session", async (_, endpoint, fault, code) => {
    env.clerk.emulator.fail(endpoint, fault as never);
    const before = await sessionCount();
    const jar = new CookieJar();
    const { callback } = await signInThroughEmulator(env.app, jar);
    if (endpoint === "authorize") {
      // The state names no flow cookie of this browser, so the real attempt's cookie stays.
      for (const name of jar.names()) jar.delete(name);
    }
    await expectFailedCallback(callback, jar, code);
    expect(await sessionCount()).toBe(before);
  });

  it("denied consent shows the error page", async () => {
    const jar = new CookieJar();
    const { callbackUrl, callback } = await signInThroughEmulator(env.app, jar, {
      decision: "deny",
    });
    expect(callbackUrl.searchParams.get("error")).toBe("access_denied");
    await expectFailedCallback(callback, jar, "provider_denied");
  });

  it("a callback in a browser that never started the sign-in is refused", async () => {
    const { callbackUrl } = await signInThroughEmulator(env.app, new CookieJar(), {
      decision: "deny",
    });
    const approved = env.clerk.emulator.approve({
      redirectUri: callbackUrl.origin + callbackUrl.pathname,
      state: callbackUrl.searchParams.get("state") ?? "",
    });
    const jar = new CookieJar();
    const url = new URL(approved);
    const callback = await env.app.fetch(url.pathname + url.search, { jar });
    await expectFailedCallback(callback, jar, "missing_flow_cookie");
  });

  it("replaying a used callback URL creates no second session", async () => {
    const jar = new CookieJar();
    const { callbackUrl, callback } = await signInThroughEmulator(env.app, jar);
    expect(callback.headers.get("Location")).toBe("/private");
    const before = await sessionCount();
    const replay = await env.app.fetch(callbackUrl.pathname + callbackUrl.search, {
      jar: new CookieJar(),
    });
    expect(replay.headers.get("Location")).toBe("/auth/error?code=missing_flow_cookie");
    expect(await sessionCount()).toBe(before);
  });

  it.each([
    ["no parameters", ""],
    ["a code without state", "?code=abc"],
    ["an error without state", "?error=access_denied"],
    ["garbage", "?state=%E0%A4%A&code=%ZZ"],
  ])("a callback with %s goes to the error page", async (_, query) => {
    const response = await env.app.fetch(`/auth/clerk/callback${query}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/auth\/error\?code=/);
  });

  it("the error page never echoes what the provider sent", async () => {
    const response = await env.app.fetch(
      "/auth/error?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E&error_description=%3Cb%3Epwn",
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>pwn");
  });

  it("a Clerk that does not answer in time is a failed sign-in, not a hang", async () => {
    env.clerk.emulator.fail("token", { kind: "delay", ms: 20_000 });
    const jar = new CookieJar();
    const started = Date.now();
    const { callback } = await signInThroughEmulator(env.app, jar);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectFailedCallback(callback, jar, "provider_unavailable");
  }, 30_000);
});

describe("flow cookies after a failed sign-in", () => {
  const flowNames = (jar: CookieJar) =>
    jar.names().filter((name) => name.startsWith(FLOW_COOKIE_PREFIX));

  it("expires only the failed attempt: another sign-in pending in the browser stays", async () => {
    const jar = new CookieJar();
    await env.app.fetch("/login", { jar });
    const pending = flowNames(jar);
    expect(pending).toHaveLength(1);
    const { callback } = await signInThroughEmulator(env.app, jar, { decision: "deny" });
    expect(callback.headers.get("Location")).toBe("/auth/error?code=provider_denied");
    expect(flowNames(jar)).toEqual(pending);
  });
});
