import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT } from "../src/emulator";
import {
  authorizeUrl,
  CALLBACK,
  pkcePair,
  postForm,
  queryOf,
  STATE,
  signIn,
  tokenRequest,
  userInfo,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

const bapiHeaders = { authorization: "Bearer sk_test_emulator" };
const adaUrl = () => `${clerk.origin}/v1/users/user_2d7LcA5PWzP89aqvmJHv210fuRJ`;

describe("status faults", () => {
  it("answer with the given status and body, then stop after `times`", async () => {
    const { access_token } = await signIn(clerk);
    clerk.emulator.fail(
      "userinfo",
      { kind: "status", status: 503, body: { down: true } },
      {
        times: 1,
      },
    );
    const faulted = await userInfo(clerk, access_token);
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toEqual({ down: true });
    expect((await userInfo(clerk, access_token)).status).toBe(200);
  });

  it("default to an OAuth error body at the token endpoint and ClerkErrors elsewhere", async () => {
    clerk.emulator.fail("token", { kind: "status", status: 500 });
    clerk.emulator.fail("backend", { kind: "status", status: 429 });
    const token = await tokenRequest(clerk, { grant_type: "refresh_token", refresh_token: "x" });
    expect(token.status).toBe(500);
    expect(await token.json()).toMatchObject({ error: "server_error" });
    const bapi = await clerk.fetch(adaUrl(), { headers: bapiHeaders });
    expect(bapi.status).toBe(429);
    expect(await bapi.json()).toMatchObject({ errors: [{ code: "too_many_requests" }] });
  });

  it("last until reset(), which leaves users and tokens alone", async () => {
    const { access_token } = await signIn(clerk);
    clerk.emulator.fail("userinfo", { kind: "status", status: 500 });
    expect((await userInfo(clerk, access_token)).status).toBe(500);
    expect((await userInfo(clerk, access_token)).status).toBe(500);
    clerk.emulator.reset();
    expect((await userInfo(clerk, access_token)).status).toBe(200);
  });

  it("can make the authorize endpoint fail before any page is shown", async () => {
    clerk.emulator.fail("authorize", { kind: "status", status: 500 }, { times: 1 });
    const response = await clerk.fetch(authorizeUrl(clerk.origin), { redirect: "manual" });
    expect(response.status).toBe(500);
  });
});

describe("other faults", () => {
  it("malformed-json answers 200 application/json that does not parse", async () => {
    clerk.emulator.fail("revoke", { kind: "malformed-json" });
    const response = await postForm(clerk, "/oauth/token/revoke", {
      token: "t",
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    await expect(response.json()).rejects.toThrow();
  });

  it("delay answers normally, but only after the delay", async () => {
    clerk.emulator.fail("backend", { kind: "delay", ms: 150 }, { times: 1 });
    const started = performance.now();
    const response = await clerk.fetch(adaUrl(), { headers: bapiHeaders });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("delay gives up as soon as the request's AbortSignal fires", async () => {
    clerk.emulator.fail("userinfo", { kind: "delay", ms: 60_000 });
    const controller = new AbortController();
    const request = new Request(`${clerk.origin}/oauth/userinfo`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const response = await clerk.emulator.fetch(request);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.status).toBe(503);
  });

  it("invalid-grant makes the token endpoint answer 400 invalid_grant for a good code", async () => {
    clerk.emulator.fail("token", { kind: "invalid-grant" }, { times: 1 });
    const { verifier, challenge } = pkcePair();
    const location = clerk.emulator.approve({
      redirectUri: CALLBACK,
      state: STATE,
      codeChallenge: challenge,
    });
    const form = {
      grant_type: "authorization_code",
      code: queryOf(location).code ?? "",
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    };
    const faulted = await tokenRequest(clerk, form);
    expect(faulted.status).toBe(400);
    expect(await faulted.json()).toMatchObject({ error: "invalid_grant" });
    expect((await tokenRequest(clerk, form)).status).toBe(200);
  });

  it("wrong-state sends the browser back with a different state", async () => {
    clerk.emulator.fail("authorize", { kind: "wrong-state" }, { times: 1 });
    const page = await clerk.fetch(authorizeUrl(clerk.origin));
    expect(page.status).toBe(200);
    const tampered = queryOf(clerk.emulator.approve({ redirectUri: CALLBACK, state: STATE }));
    expect(tampered.state).not.toBe(STATE);
    expect(tampered.code).toBeTruthy();
    const honest = queryOf(clerk.emulator.approve({ redirectUri: CALLBACK, state: STATE }));
    expect(honest.state).toBe(STATE);
  });

  it("refuses a fault that cannot happen at that endpoint", () => {
    const fail = clerk.emulator.fail as (endpoint: string, fault: unknown) => void;
    expect(() => fail("userinfo", { kind: "invalid-grant" })).toThrow(TypeError);
    expect(() => fail("token", { kind: "status", status: 99 })).toThrow(RangeError);
  });
});
