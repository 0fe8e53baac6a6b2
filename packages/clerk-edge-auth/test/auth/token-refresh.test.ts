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
