/**
 * Tokens from Clerk's token endpoint, narrowed from RFC 6749 §5.1's response. Plain JSON, because
 * the session record in KV stores it as is.
 */
export interface ClerkTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when Clerk did not say how long the access token lives. */
  expiresAt: number | null;
  scope: string[];
  idToken: string | null;
}
