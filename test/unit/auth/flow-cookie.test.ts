import { createCookie } from "@remix-run/cloudflare";
import { describe, expect, test } from "vitest";
import { createFlowCookieStore, type Flow } from "~/auth/flow-cookie.server";
import { createState } from "~/auth/pkce.server";
import { parseSetCookie } from "../../support/cookie-jar";

const NOW = Date.UTC(2026, 0, 1);

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

const store = (secrets = ["s3cret-current"], now = () => NOW) =>
  createFlowCookieStore({ secrets, now });

describe("createFlowCookieStore", () => {
  test("names the cookie after the first 16 characters of the state and sets every attribute", async () => {
    const flow = makeFlow();
    const cookie = parseSetCookie(await store().commit(requestWith(null), flow));
    expect(cookie.name).toBe(`__clerk_flow_${flow.state.slice(0, 16)}`);
    expect(cookie.attributes.get("max-age")).toBe("600");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.has("domain")).toBe(false);
  });

  test("omits Secure when the request is plain http", async () => {
    const setCookie = await store().commit(
      requestWith(null, "http://localhost:8788/login"),
      makeFlow(),
    );
    expect(parseSetCookie(setCookie).attributes.has("secure")).toBe(false);
  });

  test("reads back the attempt it committed", async () => {
    const flow = makeFlow({ redirectTo: "/private?tab=2" });
    const setCookie = await store().commit(requestWith(null), flow);
    await expect(store().read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toEqual(
      flow,
    );
  });

  test("reads a cookie signed with an old secret that is still second in the list", async () => {
    const flow = makeFlow();
    const setCookie = await store(["old-secret"]).commit(requestWith(null), flow);
    const rotated = store(["new-secret", "old-secret"]);
    await expect(rotated.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toEqual(
      flow,
    );
  });

  test("treats a cookie signed with a removed secret as missing", async () => {
    const flow = makeFlow();
    const setCookie = await store(["old-secret"]).commit(requestWith(null), flow);
    const rotated = store(["new-secret"]);
    await expect(rotated.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toBe(
      "missing",
    );
  });

  test.each([
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
    const { name, value } = parseSetCookie(await store().commit(requestWith(null), flow));
    const request = requestWith(`${name}=${tamper(value)}`);
    await expect(store().read(request, flow.state)).resolves.toBe("missing");
  });

  test("treats a validly signed value of the wrong shape as missing", async () => {
    const flow = makeFlow();
    const name = `__clerk_flow_${flow.state.slice(0, 16)}`;
    const signed = createCookie(name, { secrets: ["s3cret-current"] });
    const value = await signed.serialize({ ...flow, createdAt: "yesterday" });
    const request = requestWith(cookiePair(value));
    await expect(store().read(request, flow.state)).resolves.toBe("missing");
  });

  test("treats an attempt older than ten minutes as missing even if the browser replays it", async () => {
    const flow = makeFlow();
    const setCookie = await store().commit(requestWith(null), flow);
    const later = store(["s3cret-current"], () => NOW + 600_001);
    await expect(later.read(requestWith(cookiePair(setCookie)), flow.state)).resolves.toBe(
      "missing",
    );
  });

  test("reports missing when the browser holds no flow cookie at all", async () => {
    await expect(store().read(requestWith("__session=abc"), createState())).resolves.toBe(
      "missing",
    );
  });

  test("reports a mismatch when only other attempts' cookies are present", async () => {
    const setCookie = await store().commit(requestWith(null), makeFlow());
    await expect(store().read(requestWith(cookiePair(setCookie)), createState())).resolves.toBe(
      "mismatch",
    );
  });

  test("reports a mismatch when the cookie for that name holds a different state", async () => {
    const flow = makeFlow();
    const setCookie = await store().commit(requestWith(null), flow);
    const sameNameOtherState = `${flow.state.slice(0, 16)}${"A".repeat(27)}`;
    await expect(
      store().read(requestWith(cookiePair(setCookie)), sameNameOtherState),
    ).resolves.toBe("mismatch");
  });

  test("reports a mismatch for a state that could not have been issued", async () => {
    const setCookie = await store().commit(requestWith(null), makeFlow());
    await expect(store().read(requestWith(cookiePair(setCookie)), "x; y=z")).resolves.toBe(
      "mismatch",
    );
    await expect(store().read(requestWith(null), "x; y=z")).resolves.toBe("missing");
  });

  test("keeps two attempts from one browser apart", async () => {
    const first = makeFlow({ redirectTo: "/one" });
    const second = makeFlow({ redirectTo: "/two" });
    const header = [
      cookiePair(await store().commit(requestWith(null), first)),
      cookiePair(await store().commit(requestWith(null), second)),
    ].join("; ");
    await expect(store().read(requestWith(header), first.state)).resolves.toEqual(first);
    await expect(store().read(requestWith(header), second.state)).resolves.toEqual(second);
  });

  test("clears one attempt with an expired cookie of the same name and attributes", async () => {
    const flow = makeFlow();
    const cleared = await store().clear(requestWith(null), flow.state);
    expect(cleared).not.toBeNull();
    const cookie = parseSetCookie(cleared ?? "");
    expect(cookie.name).toBe(`__clerk_flow_${flow.state.slice(0, 16)}`);
    expect(cookie.value).toBe("");
    expect(cookie.attributes.get("max-age")).toBe("0");
    expect(cookie.attributes.get("expires")).toBe("Thu, 01 Jan 1970 00:00:00 GMT");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.has("secure")).toBe(true);
  });

  test("clears nothing for a state that could not have been issued", async () => {
    await expect(store().clear(requestWith(null), "not a state")).resolves.toBeNull();
  });

  test("refuses to work without a secret, because an unsigned cookie could be forged", () => {
    expect(() => createFlowCookieStore({ secrets: [] })).toThrow(RangeError);
  });
});
