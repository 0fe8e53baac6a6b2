import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type AppHarness, startApp } from "../support/app-harness";
import { SESSION_SECRET, validBindings } from "../support/bindings";
import { ADA, plantSession } from "../support/session-fixture";

const OLD_SECRET = "an-older-secret-still-accepted-0000";

let app: AppHarness;
beforeAll(async () => {
  app = await startApp(validBindings({ SESSION_SECRET: `${SESSION_SECRET},${OLD_SECRET}` }), {
    bundle: "counting",
  });
});
afterAll(() => app.close());
beforeEach(() => app.resetKvOps());

describe("the session cookie in the built app", () => {
  test("an anonymous visit to / sets no cookie and touches no KV", async () => {
    const response = await app.fetch("/");
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await app.kvOps()).toEqual({ get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0 });
  });

  test("a signed-in page view reads KV once and writes nothing", async () => {
    const { cookie } = await plantSession(await app.kv(), SESSION_SECRET);
    await app.resetKvOps();
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(ADA.id);
    expect(html).toContain(ADA.email);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await app.kvOps()).toMatchObject({ get: 1, put: 0, delete: 0 });
  });

  test("a valid cookie whose record KV does not have (yet) reads as signed out, never a 5xx", async () => {
    const kv = await app.kv();
    const { cookie, id } = await plantSession(kv, SESSION_SECRET, {
      id: "55555555555555555555555555555555",
    });
    await kv.delete(`session:${id}`);
    const home = await app.fetch("/", { headers: { Cookie: cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/login');
    const page = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
  });

  test("a cookie signed by the older secret still reads after rotation", async () => {
    const { cookie } = await plantSession(await app.kv(), OLD_SECRET, {
      id: "11111111111111111111111111111111",
    });
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(ADA.id);
  });

  test("a cookie signed by a removed secret reads as signed out", async () => {
    const { cookie } = await plantSession(await app.kv(), "a-removed-secret", {
      id: "22222222222222222222222222222222",
    });
    const response = await app.fetch("/private", { headers: { Cookie: cookie } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fprivate");
  });

  test.each([
    ["a tampered signature", (value: string) => `${value.slice(0, -4)}AAAA`],
    ["a truncated value", (value: string) => value.slice(0, 12)],
    ["bad %-encoding", (value: string) => `%E0%A4%A${value}`],
    ["an oversized value", (value: string) => value + "x".repeat(6000)],
    ["an empty value", () => ""],
  ])("%s reads as signed out, never a 5xx", async (_, tamper) => {
    const { value } = await plantSession(await app.kv(), SESSION_SECRET, {
      id: "33333333333333333333333333333333",
    });
    for (const path of ["/", "/private", "/login"]) {
      const response = await app.fetch(path, { headers: { Cookie: `__session=${tamper(value)}` } });
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toContain(ADA.email);
    }
  });
});
