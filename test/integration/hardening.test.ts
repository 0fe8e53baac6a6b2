import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_COOKIE_PREFIX, SECURE_FLOW_COOKIE_PREFIX } from "clerk-edge-auth";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { DEFAULT_CLIENT } from "clerk-oauth-emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import { APP_ORIGIN, type AppHarness, startApp, ROOT_DATA } from "../support/app-harness";
import { emulatorBindings } from "../support/bindings";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { expectConsoleErrors } from "../support/console-guard";
import { CookieJar, parseSetCookie } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const SESSION = SESSION_COOKIE_NAME.http;

let env: ClerkApp;
let jar: CookieJar;
beforeAll(async () => {
  env = await startClerkApp();
  jar = new CookieJar();
  await signInThroughEmulator(env.app, jar);
});
afterAll(() => env.close());

describe("security headers", () => {
  it("documents carry a nonce CSP that every script of the page satisfies", async () => {
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

  it.each(["/", "/private", "/nope", "/login", "/auth/error?code=unexpected"])(
    "%s carries nosniff, frame and referrer protections",
    async (path) => {
      const response = await env.app.fetch(path);
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("Referrer-Policy")).toBeTruthy();
      expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    },
  );

  it.each([
    "/",
    ROOT_DATA,
    "/_index.data",
    "/examples/auth-components",
    "/examples/auth-components.data",
    "/does/not/exist",
    "/does/not/exist.data",
    "/auth/error?code=unexpected",
    "/private",
    "/favicon.svg.data",
  ])(
    "%s, rendered for a signed-in visitor, is private, no-store: no cache keeps it, not even the browser's",
    async (path) => {
      const response = await env.app.fetch(path, { jar });
      expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    },
  );

  it("plain http responses carry no Strict-Transport-Security", async () => {
    const response = await env.app.fetch("/");
    expect(response.headers.get("Strict-Transport-Security")).toBeNull();
  });

  it("an unknown page is a 404 page, not an error", async () => {
    const response = await env.app.fetch("/does/not/exist");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });
});

describe("cross-origin posts", () => {
  it.each([
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

  it("a same-origin data request to an action is accepted", async () => {
    const response = await env.app.fetch("/logout.data", {
      method: "POST",
      jar: new CookieJar(),
      headers: { Origin: APP_ORIGIN },
    });
    expect(response.status).toBeLessThan(400);
  });
});

describe("malformed requests never get a 5xx", () => {
  it.each([
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
    ["GET", `${ROOT_DATA}?_routes=nope`],
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

  it.each([
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

  it.each([
    ["an enormous cookie header", { Cookie: `${SESSION}=${"a".repeat(16_000)}` }],
    ["a cookie with broken quoting", { Cookie: `${SESSION}="abc; other=%` }],
    ["many cookies", { Cookie: Array.from({ length: 300 }, (_, i) => `c${i}=v`).join("; ") }],
    ["a bogus flow cookie", { Cookie: `${FLOW_COOKIE_PREFIX}AAAAAAAAAAAAAAAA=garbage` }],
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

const HTTPS_ORIGIN = APP_ORIGIN.replace(/^http:/, "https:");

/** The same app, every request sent to an https:// URL, as a browser on a deployed site sends it. */
function overHttps(app: AppHarness): AppHarness {
  return { ...app, fetch: (path, init) => app.fetch(new URL(path, HTTPS_ORIGIN).href, init) };
}

describe("over https", () => {
  let clerk: RunningClerkEmulator;
  let app: AppHarness;
  let jar: CookieJar;
  let callback: Response;
  beforeAll(async () => {
    clerk = await startClerkEmulator({
      clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${HTTPS_ORIGIN}/auth/clerk/callback`] }],
    });
    app = overHttps(await startApp(emulatorBindings(clerk.origin)));
    jar = new CookieJar();
    ({ callback } = await signInThroughEmulator(app, jar));
  });
  afterAll(async () => {
    await app.close();
    await clerk.close();
  });

  it("signs in with __Host- cookies only", async () => {
    expect(callback.headers.get("Location")).toBe("/private");
    expect(jar.names().length).toBeGreaterThan(0);
    for (const name of jar.names()) expect(name).toMatch(/^__Host-/);
    expect((await app.fetch("/private", { jar })).status).toBe(200);
  });

  it("starts a sign-in with a __Host- flow cookie: Secure, Path=/, no Domain", async () => {
    const login = await app.fetch("/login");
    const [setCookie, ...rest] = login.headers.getSetCookie();
    expect(rest).toEqual([]);
    const { name, attributes } = parseSetCookie(setCookie ?? "");
    expect(name.startsWith(SECURE_FLOW_COOKIE_PREFIX)).toBe(true);
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("domain")).toBe(false);
  });

  it("ignores a flow cookie without the prefix, as a sibling host could plant one", async () => {
    const plainJar = new CookieJar();
    const login = await env.app.fetch("/login", { jar: plainJar });
    const state = new URL(login.headers.get("Location") ?? "").searchParams.get("state");
    const tossed = await app.fetch(`/auth/clerk/callback?code=x&state=${state}`, { jar: plainJar });
    expect(tossed.headers.get("Location")).toBe("/auth/error?code=missing_flow_cookie");
  });

  it.each([
    ["a signed-in page", "/", "GET", true],
    ["the root loader's data", ROOT_DATA, "GET", true],
    ["a redirect to sign in", "/private", "GET", false],
    ["the start of a sign-in", "/login", "GET", false],
    ["a 404 page", "/does/not/exist", "GET", false],
    ["a refused cross-origin post", "/logout", "POST", false],
  ])(
    "%s carries Strict-Transport-Security for a year, subdomains included",
    async (_, path, method, signedIn) => {
      const response = await app.fetch(path, {
        method,
        headers: method === "POST" ? { Origin: "https://evil.example" } : {},
        ...(signedIn ? { jar } : {}),
      });
      expect(response.headers.get("Strict-Transport-Security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    },
  );

  it("a configuration error page carries Strict-Transport-Security too", async () => {
    expectConsoleErrors();
    const broken = overHttps(
      await startApp({ ...emulatorBindings(clerk.origin), CLERK_CLIENT_ID: "" }),
    );
    try {
      const response = await broken.fetch("/");
      expect(response.status).toBe(500);
      expect(response.headers.get("Strict-Transport-Security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    } finally {
      await broken.close();
    }
  });
});

describe("the size of a sign-in", () => {
  it.each([
    ["a long run of euro signs", `/${"€".repeat(2000)}`],
    ["a path just under the cap that percent-encoding inflates", `/${"€".repeat(227)}`],
    ["a long ASCII path", `/${"a".repeat(2040)}`],
    ["characters that base64 and percent-encoding inflate", `/?${"~?~>".repeat(500)}`],
    ["a long mixed path", `/${"ü€😀/".repeat(400)}`],
  ])(
    "with %s, no Set-Cookie exceeds 4,096 bytes and the sign-in still finishes",
    async (_, redirectTo) => {
      const signInJar = new CookieJar();
      const { login, callback } = await signInThroughEmulator(env.app, signInJar, { redirectTo });
      for (const header of [...login.headers.getSetCookie(), ...callback.headers.getSetCookie()]) {
        expect(new TextEncoder().encode(header).length).toBeLessThanOrEqual(4096);
      }
      expect(callback.status).toBe(302);
      const location = callback.headers.get("Location") ?? "";
      expect(location.startsWith("/auth/error")).toBe(false);
      expect(location === "/private" || location.length <= 2048).toBe(true);
    },
  );

  it("an over-long redirectTo falls back to /private", async () => {
    const { callback } = await signInThroughEmulator(env.app, new CookieJar(), {
      redirectTo: `/${"€".repeat(2000)}`,
    });
    expect(callback.headers.get("Location")).toBe("/private");
  });
});

describe("pending sign-ins per browser", () => {
  const flowNames = (cookies: CookieJar) =>
    cookies.names().filter((name) => name.startsWith(FLOW_COOKIE_PREFIX));

  it("keeps at most three: a fourth /login drops the oldest attempt", async () => {
    const browser = new CookieJar();
    const states: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const login = await env.app.fetch("/login", { jar: browser });
      states.push(new URL(login.headers.get("Location") ?? "").searchParams.get("state") ?? "");
      expect(flowNames(browser).length).toBe(Math.min(attempt + 1, 3));
    }
    const oldest = `${FLOW_COOKIE_PREFIX}${states[0]?.slice(0, 16)}`;
    expect(flowNames(browser)).not.toContain(oldest);
  });

  it("twenty abandoned attempts leave three cookies, and a successful sign-in expires them all", async () => {
    const browser = new CookieJar();
    for (let attempt = 0; attempt < 20; attempt++) await env.app.fetch("/login", { jar: browser });
    expect(flowNames(browser)).toHaveLength(3);
    const { callback } = await signInThroughEmulator(env.app, browser);
    expect(callback.headers.get("Location")).toBe("/private");
    expect(flowNames(browser)).toEqual([]);
  });
});

describe("a Cookie header stuffed with flow cookies", () => {
  const stuffed = Array.from(
    { length: 1000 },
    (_, index) => `${FLOW_COOKIE_PREFIX}${String(index).padStart(16, "A")}=eyJ4IjoxfQ.c2lnbmF0dXJl`,
  ).join("; ");

  it("1,000 flow cookie names: /login answers in under 250 ms with under 8 KB of Set-Cookie", async () => {
    await env.app.fetch("/login");
    const started = performance.now();
    const login = await env.app.fetch("/login", { headers: { Cookie: stuffed } });
    const elapsed = performance.now() - started;
    expect(login.status).toBe(302);
    const setCookies = login.headers.getSetCookie();
    const bytes = new TextEncoder().encode(setCookies.join("")).length;
    expect(bytes).toBeLessThan(8 * 1024);
    expect(elapsed).toBeLessThan(250);
  });
});

describe("a sign-in that Clerk gave no refresh token", () => {
  let clerk: RunningClerkEmulator;
  let app: AppHarness;
  beforeAll(async () => {
    clerk = await startClerkEmulator({
      clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${APP_ORIGIN}/auth/clerk/callback`] }],
      issueRefreshTokens: false,
      accessTokenTtlSeconds: 1,
    });
    app = await startApp(emulatorBindings(clerk.origin));
  });
  afterAll(async () => {
    await app.close();
    await clerk.close();
  });

  it("asks for the default scopes, offline_access and openid included", async () => {
    const login = await app.fetch("/login");
    const scope = new URL(login.headers.get("Location") ?? "").searchParams.get("scope");
    expect(scope).toBe("openid profile email offline_access public_metadata");
  });

  it("works until the access token expires, then asks to sign in again, never a 5xx", async () => {
    const browser = new CookieJar();
    const { callback } = await signInThroughEmulator(app, browser);
    expect(callback.headers.get("Location")).toBe("/private");
    expect((await app.fetch("/api/userinfo", { jar: browser })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1200));
    const expired = await app.fetch("/api/userinfo", { jar: browser });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: "signed_out" });
    for (const path of ["/", "/private", "/profile", ROOT_DATA]) {
      expect((await app.fetch(path, { jar: browser })).status).toBeLessThan(500);
    }
  });
});
