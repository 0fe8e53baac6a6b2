import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/auth/auth-error.js";
import {
  MAX_TOKEN_QUERIES,
  REFRESH_MARGIN_MS,
  currentAccessToken,
  isExpired,
  needsRefresh,
} from "../../src/auth/token-refresh.server.js";
import type { SessionStore } from "../../src/session/session-store.server.js";
import { DeadlineError } from "../../src/utils/deadline.js";
import { expectConsoleErrors } from "../../../../test/support/console-guard.js";

const NOW = 1_700_000_000_000;
const tokens = (expiresAt: number | null) => ({
  accessToken: "oat_x",
  refreshToken: "ort_x",
  expiresAt,
  scope: [],
  idToken: null,
});

describe("access token freshness", () => {
  it("a token with more than the margin left needs no refresh", () => {
    expect(needsRefresh(tokens(NOW + REFRESH_MARGIN_MS + 1), NOW)).toBe(false);
  });
  it("a token inside the margin needs a refresh but still works", () => {
    expect(needsRefresh(tokens(NOW + REFRESH_MARGIN_MS - 1), NOW)).toBe(true);
    expect(isExpired(tokens(NOW + REFRESH_MARGIN_MS - 1), NOW)).toBe(false);
  });
  it("an expired token needs a refresh and no longer works", () => {
    expect(needsRefresh(tokens(NOW), NOW)).toBe(true);
    expect(isExpired(tokens(NOW), NOW)).toBe(true);
  });
  it("a token of unknown lifetime is never refreshed on a guess", () => {
    expect(needsRefresh(tokens(null), NOW)).toBe(false);
    expect(isExpired(tokens(null), NOW)).toBe(false);
  });
});

/** A store whose session's refresh token another request has claimed and never gives back. */
function stuckStore(readFails = false) {
  const calls = { queries: 0 };
  const session = { idHash: "h", tokens: tokens(NOW - 1) };
  const store = {
    async liveSession() {
      calls.queries += 1;
      if (readFails) throw new Error("D1_ERROR: unavailable");
      return session;
    },
    tokens: {
      async claimRefresh() {
        calls.queries += 1;
        return false;
      },
    },
  } as unknown as SessionStore;
  return { store, calls };
}

describe("waiting for another request's refresh", () => {
  it(`asks the authority at most ${MAX_TOKEN_QUERIES} times, however long the other takes`, async () => {
    const { store, calls } = stuckStore();
    let clock = NOW;
    const refusal = currentAccessToken({
      store,
      idHash: "h",
      client: { refreshTokens: () => Promise.reject(new Error("never called")) },
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    await expect(refusal).rejects.toMatchObject({ code: "provider_unavailable" });
    expect(calls.queries).toBeLessThanOrEqual(MAX_TOKEN_QUERIES);
    expect(MAX_TOKEN_QUERIES).toBeLessThan(50);
  });

  it("a failed read of the session is unknown, not signed out", async () => {
    const { store } = stuckStore(true);
    const answer = currentAccessToken({
      store,
      idHash: "h",
      client: { refreshTokens: () => Promise.reject(new Error("never called")) },
    });
    await expect(answer).rejects.toBeInstanceOf(AuthError);
    await expect(answer).rejects.toMatchObject({ code: "session_unavailable" });
  });
});

/**
 * A session whose access token has expired, with a refresh token this request can claim, and an
 * authority whose saves follow `saves` in turn: "fails" throws, "lands-late" stores the tokens
 * and still throws (a deadline passed first), "ok" stores them.
 */
function refreshingStore(saves: Array<"fails" | "lands-late" | "ok">) {
  let held = tokens(NOW - 1);
  const revoked: string[] = [];
  const store = {
    async liveSession() {
      return { idHash: "h", tokens: held };
    },
    tokens: {
      async claimRefresh() {
        return true;
      },
      async saveTokens(_: string, oldRefreshToken: string, fresh: typeof held) {
        const mode = saves.shift() ?? "fails";
        if (mode === "fails") throw new Error("D1_ERROR: unavailable");
        if (held.refreshToken !== oldRefreshToken) return false;
        held = fresh;
        if (mode === "lands-late") throw new DeadlineError("Session database save tokens", 3000);
        return true;
      },
    },
    revokeLater(refreshToken: string) {
      revoked.push(refreshToken);
    },
  } as unknown as SessionStore;
  const rotated = { ...tokens(NOW + 3_600_000), accessToken: "oat_new", refreshToken: "ort_new" };
  const answer = currentAccessToken({
    store,
    idHash: "h",
    client: { refreshTokens: async () => rotated },
    now: () => NOW,
    sleep: async () => undefined,
  });
  return { answer, revoked, held: () => held };
}

describe("storing a refreshed token, which Clerk has already rotated", () => {
  it("tries the save again when the authority fails once, and keeps the new token", async () => {
    const { answer, revoked, held } = refreshingStore(["fails", "ok"]);
    await expect(answer).resolves.toBe("oat_new");
    expect(held().refreshToken).toBe("ort_new");
    expect(revoked).toEqual([]);
  });

  it("keeps the new token when a save that timed out had landed after all", async () => {
    const { answer, revoked, held } = refreshingStore(["lands-late", "ok"]);
    await expect(answer).resolves.toBe("oat_new");
    expect(held().refreshToken).toBe("ort_new");
    expect(revoked).toEqual([]);
  });

  it("revokes the new token in the background and says so when it cannot be stored", async () => {
    expectConsoleErrors();
    const { answer, revoked, held } = refreshingStore(["fails", "fails", "fails"]);
    await expect(answer).rejects.toMatchObject({ code: "session_unavailable" });
    expect(revoked).toEqual(["ort_new"]);
    expect(held().refreshToken).toBe("ort_x");
  });
});
