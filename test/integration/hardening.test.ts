import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { APP_ORIGIN } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

let env: ClerkApp;
let jar: CookieJar;
beforeAll(async () => {
  env = await startClerkApp();
  jar = new CookieJar();
  await signInThroughEmulator(env.app, jar);
});
afterAll(() => env.close());

describe("security headers", () => {
  test("documents carry a nonce CSP that every script of the page satisfies", async () => {
    const response = await env.app.fetch("/", { jar });
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const second = await env.app.fetch("/", { jar });
    expect(second.headers.get("Content-Security-Policy")).not.toBe(csp);
  });

  test.each(["/", "/private", "/nope", "/login", "/auth/error?code=unexpected"])(
    "%s carries nosniff, frame and referrer protections",
    async (path) => {
      const response = await env.app.fetch(path);
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("Referrer-Policy")).toBeTruthy();
      expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    },
  );

  test.each(["/", "/_root.data", "/examples/auth-components"])(
    "%s, rendered for a signed-in visitor, is never kept by a shared cache",
    async (path) => {
      const response = await env.app.fetch(path, { jar });
      expect(response.headers.get("Cache-Control")).toMatch(/private|no-store/);
    },
  );

  test("an unknown page is a 404 page, not an error", async () => {
    const response = await env.app.fetch("/does/not/exist");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });
});

describe("cross-origin posts", () => {
  test.each([
    ["a document form post", "/profile", {}],
    ["a Remix data request", "/profile.data", {}],
    ["a null origin", "/logout", { Origin: "null" }],
    ["Sec-Fetch-Site: cross-site", "/logout", { "Sec-Fetch-Site": "cross-site" }],
    ["a forwarded host that disagrees", "/profile", { "X-Forwarded-Host": "evil.example" }],
    ["an unparsable origin", "/logout", { Origin: "http://[bad" }],
  ])("%s is refused with 403", async (_, path, extra) => {
    const response = await env.app.fetch(path, {
      method: "POST",
      jar,
      headers: {
        Origin: "https://evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
        ...extra,
      },
      body: "firstName=Evil",
    });
    expect(response.status).toBe(403);
  });

  test("a same-origin data request to an action is accepted", async () => {
    const response = await env.app.fetch("/logout.data", {
      method: "POST",
      jar: new CookieJar(),
      headers: { Origin: APP_ORIGIN },
    });
    expect(response.status).toBeLessThan(400);
  });
});

describe("malformed requests never get a 5xx", () => {
  test.each([
    ["GET", "/%"],
    ["GET", "/%E0%A4%A"],
    ["GET", "/..%2f..%2fetc/passwd"],
    ["GET", "/private?%%%"],
    ["GET", `/login?redirectTo=${"%2F".repeat(3000)}`],
    ["GET", "/login?redirectTo=%"],
    ["GET", "/login?redirectTo=%00"],
    ["GET", "/login?state=abcdefghijklmnop&code=x"],
    ["GET", "/login?error=access_denied"],
    ["GET", "/auth/error?code="],
    ["GET", "/?_data=root"],
    ["GET", "/?_data=routes%2Fnope"],
    ["GET", "/_root.data?_routes=nope"],
    ["GET", "/private.data"],
    ["GET", "/__manifest?p=%2Fnope&version=x"],
    ["GET", "/__manifest"],
    ["POST", "/"],
    ["POST", "/private"],
    ["PUT", "/profile"],
    ["DELETE", "/logout"],
    ["PATCH", "/"],
    ["OPTIONS", "/"],
    ["HEAD", "/private"],
    ["POST", "/auth/clerk/callback"],
    ["POST", "/login"],
  ])("%s %s", async (method, path) => {
    const response = await env.app.fetch(path, {
      method,
      jar,
      headers: { Origin: APP_ORIGIN },
    });
    expect(response.status).toBeLessThan(500);
  });

  test.each([
    "?state=abcdefghijklmnop&code=x",
    "?error=access_denied",
    "?code=x&redirectTo=%2Fprofile",
  ])("a signed-out GET /login%s still starts a fresh sign-in", async (query) => {
    const response = await env.app.fetch(`/login${query}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("Location") ?? "");
    expect(location.pathname).toBe("/oauth/authorize");
    expect(location.searchParams.get("state")).not.toBe("abcdefghijklmnop");
  });

  test.each([
    ["an enormous cookie header", { Cookie: `__session=${"a".repeat(16_000)}` }],
    ["a cookie with broken quoting", { Cookie: '__session="abc; other=%' }],
    ["many cookies", { Cookie: Array.from({ length: 300 }, (_, i) => `c${i}=v`).join("; ") }],
    ["a bogus flow cookie", { Cookie: "__clerk_flow_AAAAAAAAAAAAAAAA=garbage" }],
  ])("a request with %s", async (_, headers) => {
    for (const path of [
      "/",
      "/private",
      "/auth/clerk/callback?state=AAAAAAAAAAAAAAAAAAAA&code=x",
    ]) {
      const response = await env.app.fetch(path, { headers });
      expect(response.status).toBeLessThan(500);
    }
  });
});
