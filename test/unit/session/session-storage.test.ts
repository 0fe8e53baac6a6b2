import { createCookie } from "@remix-run/cloudflare";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  KV_MIN_TTL_SECONDS,
  SESSION_TTL_SECONDS,
  createKvSessionStorage,
  ttlSeconds,
} from "~/session/session-storage.server";
import { ADA, FIXTURE_TOKENS } from "../../support/session-fixture";

// Real KV: Miniflare's workerd-backed namespace, driven from Node.
let mf: Miniflare;
let kv: KVNamespace;
const calls: string[] = [];

function recordingKv(inner: KVNamespace): KVNamespace {
  return new Proxy(inner, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return value.apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", kvNamespaces: ["KV"] });
  kv = recordingKv((await mf.getKVNamespace("KV")) as unknown as KVNamespace);
});
afterAll(() => mf.dispose());
beforeEach(() => {
  calls.length = 0;
});

const storage = (secrets = ["first-secret"], secure = false) =>
  createKvSessionStorage({ kv, secrets, secure });

async function signedInCookie(secrets = ["first-secret"]): Promise<string> {
  const session = await storage(secrets).getSession(null);
  session.set("user", ADA);
  session.set("tokens", FIXTURE_TOKENS);
  session.set("signedInAt", Date.now());
  const header = await storage(secrets).commitSession(session);
  return header.split(";")[0] ?? "";
}

describe("KV session storage", () => {
  test("sets __session HttpOnly, SameSite=Lax, Path=/, no Domain, Max-Age = the session TTL", async () => {
    const session = await storage().getSession(null);
    session.set("user", ADA);
    const header = await storage().commitSession(session);
    expect(header).toMatch(/^__session=/);
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Path=/");
    expect(header).toContain(`Max-Age=${SESSION_TTL_SECONDS}`);
    expect(header).not.toMatch(/Domain=/i);
    expect(header).not.toContain("Secure");
  });

  test("marks the cookie Secure when the request came over https", async () => {
    const session = await storage(["s"], true).getSession(null);
    session.set("user", ADA);
    expect(await storage(["s"], true).commitSession(session)).toContain("Secure");
  });

  test("keeps only a 128-bit random id in the cookie and the data in KV with the TTL", async () => {
    const cookie = await signedInCookie();
    const value = decodeURIComponent(cookie.slice("__session=".length));
    const id = JSON.parse(atob(value.slice(0, value.lastIndexOf("."))));
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(value).not.toContain(ADA.email);
    const { metadata, value: stored } = await kv.getWithMetadata(`session:${id}`, "json");
    expect(stored).toMatchObject({ user: { id: ADA.id } });
    expect(metadata).toBeNull();
    const { keys } = await kv.list({ prefix: `session:${id}` });
    const expectedExpiry = Date.now() / 1000 + SESSION_TTL_SECONDS;
    expect(keys[0]?.expiration).toBeGreaterThan(expectedExpiry - 30);
    expect(keys[0]?.expiration).toBeLessThanOrEqual(expectedExpiry + 1);
  });

  test("reads a session with exactly one KV read and no write", async () => {
    const cookie = await signedInCookie();
    calls.length = 0;
    const session = await storage().getSession(cookie);
    expect(session.get("user")?.id).toBe(ADA.id);
    expect(calls).toEqual(["get"]);
  });

  test("touches no KV when there is no session cookie", async () => {
    const session = await storage().getSession("other=1");
    expect(session.get("user")).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test("still reads a cookie signed by an older secret kept second in the list", async () => {
    const cookie = await signedInCookie(["old-secret"]);
    const session = await storage(["new-secret", "old-secret"]).getSession(cookie);
    expect(session.get("user")?.id).toBe(ADA.id);
  });

  test("reads a cookie signed by a removed secret as signed out", async () => {
    const cookie = await signedInCookie(["removed-secret"]);
    const session = await storage(["new-secret"]).getSession(cookie);
    expect(session.get("user")).toBeUndefined();
  });

  test.each([
    ["a flipped signature", (value: string) => `${value.slice(0, -3)}AAA`],
    ["a truncated value", (value: string) => value.slice(0, 20)],
    ["bad %-encoding", (value: string) => `${value}%E0%A4%A`],
    ["an oversized value", (value: string) => value + "A".repeat(8192)],
    ["a value signed for another id", () => "not-base64.***"],
  ])("reads %s as signed out without throwing", async (_, tamper) => {
    const cookie = await signedInCookie();
    const value = cookie.slice("__session=".length);
    const session = await storage().getSession(`__session=${tamper(value)}`);
    expect(session.get("user")).toBeUndefined();
  });

  test("reads a validly signed cookie holding something other than a session id as signed out", async () => {
    const forged = await createCookie("__session", { secrets: ["first-secret"] }).serialize({
      id: "x",
    });
    calls.length = 0;
    const session = await storage().getSession(forged.split(";")[0] ?? "");
    expect(session.get("user")).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test("reads a record of the wrong shape as signed out", async () => {
    const id = "fedcba9876543210fedcba9876543210";
    await kv.put(`session:${id}`, JSON.stringify({ user: "nope" }));
    const cookie = await createCookie("__session", { secrets: ["first-secret"] }).serialize(id);
    const session = await storage().getSession(cookie.split(";")[0] ?? "");
    expect(session.get("user")).toBeUndefined();
  });

  test("destroying a session deletes its record and expires the cookie", async () => {
    const cookie = await signedInCookie();
    const session = await storage().getSession(cookie);
    const header = await storage().destroySession(session);
    expect(header).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await kv.get(`session:${session.id}`)).toBeNull();
  });
});

describe("ttlSeconds", () => {
  const now = Date.UTC(2026, 0, 1);
  test("equals the time left until the cookie expires", () => {
    expect(ttlSeconds(new Date(now + 3_600_000), now)).toBe(3600);
  });
  test("never goes under KV's 60-second floor", () => {
    expect(ttlSeconds(new Date(now + 5_000), now)).toBe(KV_MIN_TTL_SECONDS);
    expect(ttlSeconds(new Date(now - 5_000), now)).toBe(KV_MIN_TTL_SECONDS);
  });
  test("falls back to the session TTL without an expiry", () => {
    expect(ttlSeconds(undefined, now)).toBe(SESSION_TTL_SECONDS);
  });
});
