import { afterEach, describe, expect, it, vi } from "vitest";
import {
  KV_COPY_MAX_TTL_SECONDS,
  KV_MIN_TTL_SECONDS,
  sessionEdge,
  ttlSeconds,
} from "../../src/session/session-edge.server.js";

// The KV copy's failure handling. Real KV behaviour is proved in workerd by the integration
// tests; here a namespace that fails or hangs on demand stands in for an outage.
const VIEW = {
  user: {
    id: "user_1",
    email: "ada@example.com",
    emailVerified: true,
    firstName: "Ada",
    lastName: null,
    fullName: "Ada",
    username: null,
    imageUrl: null,
    publicMetadata: {},
  },
  expiresAt: Date.now() + 3_600_000,
};
const HASH = "a".repeat(64);

function failingKv(failure: "throw" | "hang"): KVNamespace {
  const fail = () =>
    failure === "throw"
      ? Promise.reject(new Error("KV is having a bad day"))
      : new Promise<never>(() => undefined);
  return { get: fail, put: fail, delete: fail } as unknown as KVNamespace;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("the KV copy of a session", () => {
  it("lives until the sign-in ends or an hour, whichever is sooner, never under KV's 60-second floor", () => {
    const now = 1_000_000;
    expect(ttlSeconds(now + 3_600_000, now)).toBe(3600);
    expect(ttlSeconds(now + 5_000, now)).toBe(KV_MIN_TTL_SECONDS);
    expect(ttlSeconds(now - 5_000, now)).toBe(KV_MIN_TTL_SECONDS);
    // However long the session, its copy lives an hour at most: the bound on a stale copy.
    expect(ttlSeconds(now + 7 * 86_400_000, now)).toBe(KV_COPY_MAX_TTL_SECONDS);
    expect(KV_COPY_MAX_TTL_SECONDS).toBe(3600);
  });

  it("a failing KV call is reported as failed, logged once, with no key or value in the line", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const edge = sessionEdge(failingKv("throw"));
    expect(await edge.read(HASH)).toBe("failed");
    expect(await edge.write(HASH, VIEW, Date.now())).toBe(false);
    expect(await edge.remove(HASH)).toBe(false);
    expect(log).toHaveBeenCalledTimes(3);
    const lines = log.mock.calls.map((call) => call.join(" ")).join("\n");
    expect(lines).toMatch(/Session KV read failed/);
    expect(lines).not.toContain(HASH);
    expect(lines).not.toContain(VIEW.user.email);
  });

  it("a hung KV call is abandoned after its deadline", async () => {
    vi.useFakeTimers();
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const read = sessionEdge(failingKv("hang")).read(HASH);
    await vi.advanceTimersByTimeAsync(2500);
    expect(await read).toBe("failed");
    expect(log.mock.calls[0]?.[0]).toMatch(/DeadlineError/);
  });

  it("a record of another shape reads as missing, so the authority is asked", async () => {
    const kv = { get: async () => JSON.stringify({ tokens: {} }) } as unknown as KVNamespace;
    expect(await sessionEdge(kv).read(HASH)).toBe("missing");
  });
});
