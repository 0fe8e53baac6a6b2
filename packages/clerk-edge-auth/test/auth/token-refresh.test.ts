import { describe, expect, it } from "vitest";
import { REFRESH_MARGIN_MS, isExpired, needsRefresh } from "../../src/auth/token-refresh.server.js";

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
