import { describe, expect, test } from "vitest";
import { REFRESH_MARGIN_MS, isExpired, needsRefresh } from "~/auth/access-token";
import type { ClerkTokens } from "~/auth/clerk-tokens";

const NOW = Date.UTC(2026, 10, 23, 12);
const tokens = (expiresAt: number | null): ClerkTokens => ({
  accessToken: "oat_x",
  refreshToken: "ort_x",
  expiresAt,
  scope: [],
  idToken: null,
});

describe("access token freshness", () => {
  test("a token with more than the margin left needs no refresh", () => {
    expect(needsRefresh(tokens(NOW + REFRESH_MARGIN_MS + 1), NOW)).toBe(false);
  });
  test("a token inside the margin needs a refresh but still works", () => {
    expect(needsRefresh(tokens(NOW + REFRESH_MARGIN_MS), NOW)).toBe(true);
    expect(isExpired(tokens(NOW + REFRESH_MARGIN_MS), NOW)).toBe(false);
  });
  test("an expired token needs a refresh and no longer works", () => {
    expect(needsRefresh(tokens(NOW - 1), NOW)).toBe(true);
    expect(isExpired(tokens(NOW), NOW)).toBe(true);
  });
  test("a token of unknown lifetime is never refreshed on a guess", () => {
    expect(needsRefresh(tokens(null), NOW)).toBe(false);
    expect(isExpired(tokens(null), NOW)).toBe(false);
  });
});
