import { beforeEach, describe, expect, it } from "vitest";
import { SEED_USERS } from "../src/emulator";
import { type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

const ADA = SEED_USERS[0]?.id ?? "";
const AUTH = { authorization: "Bearer sk_test_emulator" };
const memberships = (init: RequestInit = {}) =>
  clerk.fetch(`${clerk.origin}/v1/users/${ADA}/organization_memberships`, {
    headers: AUTH,
    ...init,
  });
const user = () => clerk.fetch(`${clerk.origin}/v1/users/${ADA}`, { headers: AUTH });

describe("organizations faults", () => {
  it("fail the organization reads alone, leaving the users endpoint working", async () => {
    clerk.emulator.fail("organizations", { kind: "status", status: 500 }, { times: 1 });
    const failed = await memberships();
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ errors: [{ code: "internal_clerk_error" }] });
    expect((await user()).status).toBe(200);
    expect((await memberships()).status).toBe(200);
  });

  it("backend faults cover the organization reads too", async () => {
    clerk.emulator.fail("backend", { kind: "status", status: 503 }, { times: 1 });
    expect((await memberships()).status).toBe(503);
    expect((await memberships()).status).toBe(200);
  });

  it("a 429 carries Retry-After, 1 s unless the fault names another", async () => {
    clerk.emulator.fail("organizations", { kind: "status", status: 429 }, { times: 1 });
    clerk.emulator.fail(
      "organizations",
      { kind: "status", status: 429, headers: { "retry-after": "7" } },
      { times: 1 },
    );
    const first = await memberships();
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(await first.json()).toMatchObject({ errors: [{ code: "too_many_requests" }] });
    expect((await memberships()).headers.get("retry-after")).toBe("7");
  });

  it("a hang lasts until the caller gives up, and answers nothing useful then", async () => {
    clerk.emulator.fail("organizations", { kind: "delay", ms: 60_000 });
    const started = performance.now();
    const response = await clerk.emulator.fetch(
      new Request(`${clerk.origin}/v1/users/${ADA}/organization_memberships`, {
        headers: AUTH,
        signal: AbortSignal.timeout(50),
      }),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.status).toBe(503);
  });

  it("a slow answer still lands, with the real page, after the delay", async () => {
    clerk.emulator.fail("organizations", { kind: "delay", ms: 150 }, { times: 1 });
    const started = performance.now();
    const response = await memberships();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await response.json()).toMatchObject({ total_count: 2 });
  });

  it("malformed JSON answers 200 that does not parse", async () => {
    clerk.emulator.fail("organizations", { kind: "malformed-json" }, { times: 1 });
    const response = await memberships();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });
});
