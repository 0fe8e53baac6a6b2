import type { ClerkTokens } from "./clerk-tokens";

/**
 * Refresh this long before the access token expires, so a token handed to a caller still works
 * for the call it is about to make (and for small clock skew between the edge and Clerk).
 */
export const REFRESH_MARGIN_MS = 60_000;

/** True when the access token is expired or expires within the margin; unknown expiry never is. */
export function needsRefresh(tokens: ClerkTokens, now: number): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt - now <= REFRESH_MARGIN_MS;
}

/** True when the access token can no longer be used at all. */
export function isExpired(tokens: ClerkTokens, now: number): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt <= now;
}
