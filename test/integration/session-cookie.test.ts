import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { type AppHarness, startApp } from "../support/app-harness";
import { SESSION_SECRET, validBindings } from "../support/bindings";
import { setCookieFor } from "../support/cookie-jar";
import { ADA, plantSession } from "../support/session-fixture";

// What each of these requests costs in KV and D1 is pinned in ops-per-request.test.ts.
const OLD_SECRET = "an-older-secret-still-accepted-0000";

let app: AppHarness;
beforeAll(async () => {
  app = await startApp(validBindings({ SESSION_SECRET: `${SESSION_SECRET},${OLD_SECRET}` }));
});
afterAll(() => app.close());

describe("the session cookie in the built app", () => {
  it("an anonymous visit to / sets no cookie", async () => {
    const response = await app.fetch("/");
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("a signed-in page view shows the session's user and sets no cookie", async () => {
    const { cookie } = await plantSession(app, SESSION_SECRET);
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(ADA.id);
    expect(html).toContain(ADA.email);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("a valid cookie whose KV copy is missing is read at the authority and the copy written back", async () => {
    const kv = await app.kv();
    const { cookie, idHash } = await plantSession(app, SESSION_SECRET, {
      id: "55555555555555555555555555555555",
      kvCopy: false,
    });
    const page = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(ADA.email);
    expect(await kv.get(`session:${idHash}`, "json")).toMatchObject({ user: { id: ADA.id } });
    expect((await app.fetch("/private", { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it("a valid cookie of an ended session whose KV copy is missing reads as signed out, writing nothing", async () => {
    const { cookie, idHash } = await plantSession(app, SESSION_SECRET, {
      id: "56565656565656565656565656565656",
      kvCopy: false,
    });
    const db = await app.db();
    await db
      .prepare("UPDATE sessions SET ended_at = ? WHERE id_hash = ?")
      .bind(Date.now(), idHash)
      .run();
    const page = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
    expect(await (await app.kv()).get(`session:${idHash}`)).toBeNull();
  });

  it("a cookie signed by Remix's own createCookie (before the cached-key signer) still reads", async () => {
    // plantSession signs with Remix's createCookie; the app verifies with keys imported once.
    const { cookie } = await plantSession(app, SESSION_SECRET, {
      id: "57575757575757575757575757575757",
    });
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(ADA.id);
  });

  it("over https the session cookie is __Host-session; a plain __session planted by a sibling host is ignored", async () => {
    const planted = await plantSession(app, SESSION_SECRET, {
      id: "58585858585858585858585858585858",
      cookieName: SESSION_COOKIE_NAME.https,
    });
    const secure = await app.fetch("https://app.example.com/private", {
      headers: { Cookie: planted.cookie, "X-Forwarded-Host": "app.example.com" },
    });
    expect(secure.status).toBe(200);
    expect(await secure.text()).toContain(ADA.id);
    const tossed = `${SESSION_COOKIE_NAME.http}=${planted.value}`;
    const refused = await app.fetch("https://app.example.com/private", {
      headers: { Cookie: tossed, "X-Forwarded-Host": "app.example.com" },
    });
    expect(refused.status).toBe(302);
    const logout = await app.fetch("https://app.example.com/logout", {
      method: "POST",
      headers: {
        Cookie: planted.cookie,
        Origin: "https://app.example.com",
        "X-Forwarded-Host": "app.example.com",
      },
    });
    const expired = setCookieFor(logout, SESSION_COOKIE_NAME.https);
    expect(expired).toMatch(/Max-Age=0/);
    expect(expired).toMatch(/Secure/);
    expect(expired).toMatch(/Path=\//);
    expect(expired).not.toMatch(/Domain=/i);
  });

  it("a cookie signed by the older secret still reads after rotation", async () => {
    const { cookie } = await plantSession(app, OLD_SECRET, {
      id: "11111111111111111111111111111111",
    });
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(ADA.id);
  });

  it("a cookie signed by a removed secret reads as signed out", async () => {
    const { cookie } = await plantSession(app, "a-removed-secret", {
      id: "22222222222222222222222222222222",
    });
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
  });

  it.each([
    ["a tampered signature", (value: string) => `${value.slice(0, -4)}AAAA`],
    ["a truncated value", (value: string) => value.slice(0, 12)],
    ["bad %-encoding", (value: string) => `%E0%A4%A${value}`],
    ["an oversized value", (value: string) => value + "x".repeat(6000)],
    ["an empty value", () => ""],
  ])("%s reads as signed out, never a 5xx", async (_, tamper) => {
    const { value } = await plantSession(app, SESSION_SECRET, {
      id: "33333333333333333333333333333333",
    });
    for (const path of ["/", "/private", "/login"]) {
      const cookie = `${SESSION_COOKIE_NAME.http}=${tamper(value)}`;
      const response = await app.fetch(path, { headers: { Cookie: cookie } });
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toContain(ADA.email);
    }
  });
});
