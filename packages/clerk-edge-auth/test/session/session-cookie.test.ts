import { createCookie } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import {
  createSessionId,
  expiredSessionCookieHeader,
  readSessionCookie,
  readSessionId,
  sessionCookieHeader,
} from "../../src/session/session-cookie.server.js";
import { parseSetCookie } from "../../../../test/support/cookie-jar";

const SECRET = "unit-session-secret-0123456789abcdef";
const OLD_SECRET = "unit-older-secret-still-accepted-000";
const ID = "0123456789abcdef0123456789abcdef";
const MAX_AGE_SECONDS = 86_400;
const NOW = 1_800_000_000_000;
const STAMPED = { id: ID, activeAt: NOW, expiresAt: NOW + MAX_AGE_SECONDS * 1000 };
const http = new Request("http://127.0.0.1:8788/");
const https = new Request("https://app.example.com/");

const pair = (header: string) => header.split(";")[0] ?? "";
const requestWith = (base: Request, cookie: string) =>
  new Request(base.url, { headers: { Cookie: cookie } });

describe("the session cookie", () => {
  it("carries the id and the second of the last request, signed, and reads a cookie from before the stamp", async () => {
    const stamped = pair(await sessionCookieHeader(http, [SECRET], STAMPED));
    expect(await readSessionCookie(requestWith(http, stamped), [SECRET])).toEqual({
      id: ID,
      activeAt: NOW,
    });
    const unstamped = await createCookie("__session", { secrets: [SECRET] }).serialize(ID);
    expect(await readSessionCookie(requestWith(http, pair(unstamped)), [SECRET])).toEqual({
      id: ID,
      activeAt: null,
    });
  });

  it("counts Max-Age from the stamp to the session's absolute end", async () => {
    const later = { ...STAMPED, activeAt: NOW + 3600_000 };
    const cookie = parseSetCookie(await sessionCookieHeader(http, [SECRET], later));
    expect(Object.fromEntries(cookie.attributes)["max-age"]).toBe(String(MAX_AGE_SECONDS - 3600));
  });

  it("is __session over http: HttpOnly, SameSite=Lax, Path=/, no Domain, Max-Age = the time left until the session expires", async () => {
    const cookie = parseSetCookie(await sessionCookieHeader(http, [SECRET], STAMPED));
    const attributes = Object.fromEntries(cookie.attributes);
    expect(cookie.name).toBe("__session");
    expect(attributes).toMatchObject({
      httponly: "",
      samesite: "Lax",
      path: "/",
      "max-age": String(MAX_AGE_SECONDS),
    });
    expect(attributes).not.toHaveProperty("domain");
    expect(attributes).not.toHaveProperty("secure");
  });

  it("is __Host-session and Secure over https, so no sibling host can plant one", async () => {
    const header = await sessionCookieHeader(https, [SECRET], STAMPED);
    const cookie = parseSetCookie(header);
    expect(cookie.name).toBe("__Host-session");
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.has("domain")).toBe(false);
    expect(await readSessionId(requestWith(https, pair(header)), [SECRET])).toBe(ID);
    // A plain __session cookie (what a sibling host could set) is not read over https.
    const plain = pair(await sessionCookieHeader(http, [SECRET], STAMPED));
    expect(await readSessionId(requestWith(https, plain), [SECRET])).toBeNull();
  });

  it("holds only a 128-bit random id", async () => {
    const ids = new Set(Array.from({ length: 100 }, createSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reads cookies Remix's createCookie signed, and Remix reads the ones this module signs", async () => {
    const remix = createCookie("__session", { secrets: [SECRET] });
    const byRemix = pair(await remix.serialize(ID));
    expect(await readSessionId(requestWith(http, byRemix), [SECRET])).toBe(ID);
    const ours = pair(await sessionCookieHeader(http, [SECRET], STAMPED));
    expect(ours).toBe(pair(await remix.serialize(`${ID}.${NOW / 1000}`)));
    expect(await remix.parse(ours)).toBe(`${ID}.${NOW / 1000}`);
  });

  it("still reads a cookie signed by an older secret kept second in the list", async () => {
    const old = pair(await sessionCookieHeader(http, [OLD_SECRET], STAMPED));
    expect(await readSessionId(requestWith(http, old), [SECRET, OLD_SECRET])).toBe(ID);
  });

  it("refuses a cookie signed by a secret that was rotated out", async () => {
    const old = pair(await sessionCookieHeader(http, [OLD_SECRET], STAMPED));
    expect(await readSessionId(requestWith(http, old), [OLD_SECRET])).toBe(ID);
    expect(await readSessionId(requestWith(http, old), [SECRET])).toBeNull();
  });

  it.each([
    ["a tampered signature", (value: string) => `${value.slice(0, -4)}AAAA`],
    ["a truncated value", (value: string) => value.slice(0, 12)],
    ["bad %-encoding", (value: string) => `%E0%A4%A${value}`],
    ["an oversized value", (value: string) => value + "x".repeat(9000)],
    ["no signature at all", (value: string) => value.split(".")[0] ?? ""],
  ])("reads %s as no session", async (_, tamper) => {
    const value = pair(await sessionCookieHeader(http, [SECRET], STAMPED)).slice(
      "__session=".length,
    );
    expect(
      await readSessionId(requestWith(http, `__session=${tamper(value)}`), [SECRET]),
    ).toBeNull();
  });

  it("reads a validly signed cookie holding something other than a session id as no session", async () => {
    const forged = pair(
      await createCookie("__session", { secrets: [SECRET] }).serialize({ id: ID }),
    );
    expect(await readSessionId(requestWith(http, forged), [SECRET])).toBeNull();
  });

  it("reads the session cookie among many other cookies, however long the header", async () => {
    const mine = pair(await sessionCookieHeader(http, [SECRET], STAMPED));
    const others = Array.from({ length: 60 }, (_, i) => `analytics_${i}=${"v".repeat(200)}`);
    const header = [...others.slice(0, 30), mine, ...others.slice(30)].join("; ");
    expect(header.length).toBeGreaterThan(12_000);
    expect(await readSessionId(requestWith(http, header), [SECRET])).toBe(ID);
  });

  it("expires the cookie on sign-out", async () => {
    const cookie = parseSetCookie(await expiredSessionCookieHeader(http, [SECRET]));
    expect(cookie.value).toBe("");
    expect(cookie.attributes.get("max-age")).toBe("0");
  });
});
