import { createCookie } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import {
  createFlowCookieStore,
  type Flow,
  type FlowCookieStore,
} from "../../src/auth/flow-cookie.server.js";
import { createState } from "../../src/auth/pkce.server.js";
import { safeRedirect } from "../../src/utils/safe-redirect.js";
import { parseSetCookie } from "../../../../test/support/cookie-jar";

const NOW = Date.UTC(2026, 0, 1);
const HTTP_URL = "http://localhost:8788/login";

function makeFlow(overrides: Partial<Flow> = {}): Flow {
  return {
    state: createState(),
    verifier: "v".repeat(43),
    redirectTo: "/private",
    createdAt: NOW,
    ...overrides,
  };
}

function requestWith(cookie: string | null, url = "https://app.example/auth/clerk/callback") {
  return new Request(url, cookie === null ? {} : { headers: { Cookie: cookie } });
}

function cookiePair(setCookie: string): string {
  return setCookie.split(";", 1)[0] ?? "";
}

/** Commits an attempt into a browser with no flow cookies, returning its one Set-Cookie. */
async function commitOne(flows: FlowCookieStore, request: Request, flow: Flow): Promise<string> {
  const [setCookie, ...rest] = await flows.commit(request, flow);
  expect(rest).toEqual([]);
  return setCookie ?? "";
}

const store = (secrets = ["s3cret-current"], now = () => NOW) =>
  createFlowCookieStore({ secrets, now });

describe("createFlowCookieStore", () => {
  it("over https names the cookie __Host- plus the first 16 characters of the state, with every attribute", async () => {
    const flow = makeFlow();
    const cookie = parseSetCookie(await commitOne(store(), requestWith(null), flow));
    expect(cookie.name).toBe(`__Host-clerk_flow_${flow.state.slice(0, 16)}`);
    expect(cookie.attributes.get("max-age")).toBe("600");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.has("domain")).toBe(false);
  });

  it("over plain http names the cookie without the __Host- prefix and omits Secure", async () => {
    const flow = makeFlow();
    const setCookie = await commitOne(store(), requestWith(null, HTTP_URL), flow);
    expect(parseSetCookie(setCookie).name).toBe(`__clerk_flow_${flow.state.slice(0, 16)}`);
    expect(parseSetCookie(setCookie).attributes.has("secure")).toBe(false);
  });

  it("reads back the attempt it committed", async () => {
    const flow = makeFlow({ redirectTo: "/private?tab=2" });
    const setCookie = await commitOne(store(), requestWith(null), flow);
    await expect(store().read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toEqual(
      flow,
    );
  });

  it("reads a cookie signed with an old secret that is still second in the list", async () => {
    const flow = makeFlow();
    const setCookie = await commitOne(store(["old-secret"]), requestWith(null), flow);
    const rotated = store(["new-secret", "old-secret"]);
    await expect(rotated.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toEqual(
      flow,
    );
  });

  it("treats a cookie signed with a removed secret as missing", async () => {
    const flow = makeFlow();
    const setCookie = await commitOne(store(["old-secret"]), requestWith(null), flow);
    const rotated = store(["new-secret"]);
    await expect(rotated.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toBe(
      "missing",
    );
  });

  it.each([
    [
      "a changed payload",
      (value: string) => `${btoa('{"state":"x"}')}${value.slice(value.indexOf("."))}`,
    ],
    ["a cut-off signature", (value: string) => value.slice(0, -4)],
    ["a signature that is not base64", (value: string) => `${value.split(".")[0]}.!!!`],
    ["no signature", (value: string) => value.split(".")[0] ?? ""],
    ["an empty value", () => ""],
    ["bad percent-encoding", () => "%E0%A4%A"],
  ])("treats a cookie with %s as missing", async (_label, tamper) => {
    const flow = makeFlow();
    const { name, value } = parseSetCookie(await commitOne(store(), requestWith(null), flow));
    const request = requestWith(`${name}=${tamper(value)}`);
    await expect(store().read(request, flow.state)).resolves.toBe("missing");
  });

  it("treats a validly signed value of the wrong shape as missing", async () => {
    const flow = makeFlow();
    const name = `__Host-clerk_flow_${flow.state.slice(0, 16)}`;
    const signed = createCookie(name, { secrets: ["s3cret-current"] });
    const value = await signed.serialize({ ...flow, createdAt: "yesterday" });
    const request = requestWith(cookiePair(value));
    await expect(store().read(request, flow.state)).resolves.toBe("missing");
  });

  it("treats an attempt older than ten minutes as missing even if the browser replays it", async () => {
    const flow = makeFlow();
    const setCookie = await commitOne(store(), requestWith(null), flow);
    const later = store(["s3cret-current"], () => NOW + 600_001);
    await expect(later.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toBe(
      "missing",
    );
  });

  it("reports missing when the browser holds no flow cookie at all", async () => {
    await expect(store().read(requestWith("__session=abc"), createState())).resolves.toBe(
      "missing",
    );
  });

  it("reports a mismatch when only other attempts' cookies are present", async () => {
    const setCookie = await commitOne(store(), requestWith(null), makeFlow());
    await expect(store().read(requestWith(cookiePair(setCookie)), createState())).resolves.toBe(
      "mismatch",
    );
  });

  it("reports a mismatch when the cookie for that name holds a different state", async () => {
    const flow = makeFlow();
    const setCookie = await commitOne(store(), requestWith(null), flow);
    const sameNameOtherState = `${flow.state.slice(0, 16)}${"A".repeat(27)}`;
    await expect(
      store().read(requestWith(cookiePair(setCookie)), sameNameOtherState),
    ).resolves.toBe("mismatch");
  });

  it("reports a mismatch for a state that could not have been issued", async () => {
    const setCookie = await commitOne(store(), requestWith(null), makeFlow());
    await expect(store().read(requestWith(cookiePair(setCookie)), "x; y=z")).resolves.toBe(
      "mismatch",
    );
    await expect(store().read(requestWith(null), "x; y=z")).resolves.toBe("missing");
  });

  it("keeps two attempts from one browser apart", async () => {
    const first = makeFlow({ redirectTo: "/one" });
    const second = makeFlow({ redirectTo: "/two" });
    const header = [
      cookiePair(await commitOne(store(), requestWith(null), first)),
      cookiePair(await commitOne(store(), requestWith(null), second)),
    ].join("; ");
    await expect(store().read(requestWith(header), first.state)).resolves.toEqual(first);
    await expect(store().read(requestWith(header), second.state)).resolves.toEqual(second);
  });

  it("clears one attempt with an expired cookie of the same name and attributes", async () => {
    const flow = makeFlow();
    const [cleared, ...rest] = await store().clear(requestWith(null), { state: flow.state });
    expect(rest).toEqual([]);
    const cookie = parseSetCookie(cleared ?? "");
    expect(cookie.name).toBe(`__Host-clerk_flow_${flow.state.slice(0, 16)}`);
    expect(cookie.value).toBe("");
    expect(cookie.attributes.get("max-age")).toBe("0");
    expect(cookie.attributes.get("expires")).toBe("Thu, 01 Jan 1970 00:00:00 GMT");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.has("secure")).toBe(true);
  });

  it.each([null, "not a state"])("clears nothing for the state %j", async (state) => {
    await expect(store().clear(requestWith(null), { state })).resolves.toEqual([]);
  });

  it("clears every flow cookie the request carries, with either prefix, and nothing else", async () => {
    const header = [
      "__session=abc",
      cookiePair(await commitOne(store(), requestWith(null), makeFlow())),
      cookiePair(await commitOne(store(), requestWith(null), makeFlow())),
      "__clerk_flow_AAAAAAAAAAAAAAAA=garbage",
    ].join("; ");
    const cleared = (await store().clear(requestWith(header), "all")).map(parseSetCookie);
    expect(cleared.map(({ name }) => name).sort()).toEqual(
      header
        .split("; ")
        .slice(1)
        .map((pair) => pair.split("=")[0])
        .sort(),
    );
    for (const cookie of cleared) {
      expect(cookie.value).toBe("");
      expect(cookie.attributes.get("max-age")).toBe("0");
      expect(cookie.attributes.has("secure")).toBe(true);
    }
  });
  it("refuses to work without a secret, because an unsigned cookie could be forged", () => {
    expect(() => createFlowCookieStore({ secrets: [] })).toThrow(RangeError);
  });
});

describe("pending attempts per browser", () => {
  /** Starts `count` attempts one minute apart in one browser, as the browser would keep them. */
  async function startAttempts(count: number, url = HTTP_URL) {
    const jar = new Map<string, string>();
    const flows: Flow[] = [];
    for (let index = 0; index < count; index++) {
      const flow = makeFlow({ createdAt: NOW + index * 60_000 });
      flows.push(flow);
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
      const request = requestWith(cookie === "" ? null : cookie, url);
      for (const setCookie of await store(undefined, () => NOW + index * 60_000).commit(
        request,
        flow,
      )) {
        const { name, value, attributes } = parseSetCookie(setCookie);
        if (attributes.get("max-age") === "0") jar.delete(name);
        else jar.set(name, value);
      }
    }
    return { jar, flows };
  }

  it("keeps at most three: a fourth start drops the oldest", async () => {
    const { jar, flows } = await startAttempts(4);
    expect(jar.size).toBe(3);
    const header = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const later = store(undefined, () => NOW + 4 * 60_000);
    await expect(later.read(requestWith(header, HTTP_URL), flows[0]?.state ?? "")).resolves.toBe(
      "mismatch",
    );
    for (const flow of flows.slice(1)) {
      await expect(later.read(requestWith(header, HTTP_URL), flow.state)).resolves.toEqual(flow);
    }
  });

  it("keeps at most three after twenty abandoned starts, over https too", async () => {
    const { jar } = await startAttempts(20, "https://app.example/login");
    expect(jar.size).toBe(3);
    for (const name of jar.keys()) expect(name.startsWith("__Host-clerk_flow_")).toBe(true);
  });

  it("drops an unreadable flow cookie before any readable one", async () => {
    const header = [
      cookiePair(await commitOne(store(), requestWith(null, HTTP_URL), makeFlow())),
      cookiePair(await commitOne(store(), requestWith(null, HTTP_URL), makeFlow())),
      "__clerk_flow_AAAAAAAAAAAAAAAA=garbage",
    ].join("; ");
    const setCookies = await store().commit(requestWith(header, HTTP_URL), makeFlow());
    const expired = setCookies
      .map(parseSetCookie)
      .filter((c) => c.attributes.get("max-age") === "0");
    expect(expired.map(({ name }) => name)).toEqual(["__clerk_flow_AAAAAAAAAAAAAAAA"]);
  });
});

describe("a Cookie header stuffed with flow cookies", () => {
  const stuffed = Array.from(
    { length: 1000 },
    (_, index) => `__clerk_flow_${String(index).padStart(16, "A")}=eyJ4IjoxfQ.c2lnbmF0dXJl`,
  ).join("; ");
  const bytes = (headers: string[]) => new TextEncoder().encode(headers.join("")).length;

  it("1,000 names: a start answers in under 50 ms and its Set-Cookie stays under 8 KB", async () => {
    const flows = store();
    await flows.commit(requestWith(null, HTTP_URL), makeFlow());
    const started = performance.now();
    const setCookies = await flows.commit(requestWith(stuffed, HTTP_URL), makeFlow());
    expect(performance.now() - started).toBeLessThan(50);
    expect(bytes(setCookies)).toBeLessThan(8 * 1024);
  });

  it("1,000 names: clearing them all after a sign-in stays under 8 KB of Set-Cookie", async () => {
    const setCookies = await store().clear(requestWith(stuffed, HTTP_URL), "all");
    expect(setCookies.length).toBeGreaterThan(0);
    expect(bytes(setCookies)).toBeLessThan(8 * 1024);
  });

  it("still reads the attempt the callback names, wherever its cookie sits in the header", async () => {
    const flow = makeFlow();
    const pair = cookiePair(await commitOne(store(), requestWith(null, HTTP_URL), flow));
    const request = requestWith(`${stuffed}; ${pair}`, HTTP_URL);
    await expect(store().read(request, flow.state)).resolves.toEqual(flow);
  });
});

describe("over https", () => {
  it("ignores a flow cookie without the __Host- prefix, which a sibling host could have planted", async () => {
    const flow = makeFlow();
    const planted = cookiePair(await commitOne(store(), requestWith(null, HTTP_URL), flow));
    await expect(store().read(requestWith(planted), flow.state)).resolves.toBe("missing");
  });
});

describe("cookie size", () => {
  it.each([
    ["a long ASCII path", `/${"a".repeat(5000)}`],
    [
      "a path of characters that base64 and percent-encoding inflate",
      `/${"%FF%FE?+/".repeat(700)}`,
    ],
    ["a long non-ASCII path", `/${"€".repeat(2000)}`],
  ])("never sends a Set-Cookie over 4,096 bytes: %s falls back", async (_label, redirectTo) => {
    const flow = makeFlow({ redirectTo });
    const setCookie = await commitOne(store(), requestWith(null), flow);
    expect(setCookie.length).toBeLessThanOrEqual(4096);
    const read = await store().read(requestWith(cookiePair(setCookie)), flow.state);
    expect(read).toMatchObject({ redirectTo: "/private" });
  });

  it("never sends a Set-Cookie over 4,096 bytes for random targets of any size and alphabet", async () => {
    const alphabets = ["a/?=&", "€ü😀", "%FF+/~", "\u0000\t\n\u202e\u200b", "AZaz09-_.!*'()"];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const alphabet = [...(alphabets[round % alphabets.length] ?? "")];
      const length = Math.floor(random() * 6000);
      const path = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]);
      const redirectTo = safeRedirect(`/${path.join("")}`);
      const setCookie = await commitOne(store(), requestWith(null), makeFlow({ redirectTo }));
      expect(new TextEncoder().encode(setCookie).length).toBeLessThanOrEqual(4096);
    }
  });

  it("keeps a redirectTo that fits", async () => {
    const flow = makeFlow({ redirectTo: `/${"a".repeat(1500)}` });
    const setCookie = await commitOne(store(), requestWith(null), flow);
    const read = await store().read(requestWith(cookiePair(setCookie)), flow.state);
    expect(read).toEqual(flow);
  });
});
