import {
  type AppSession,
  type KvSessionStorage,
  sessionExpiry,
} from "~/session/session-storage.server";
import { isExpired, needsRefresh } from "./access-token";
import { AuthError } from "./auth-error";
import type { ClerkStrategy } from "./clerk-strategy.server";

interface Options {
  storage: KvSessionStorage;
  request: Request;
  /** This request's session, read once. */
  session: () => Promise<AppSession>;
  strategy: Pick<ClerkStrategy<unknown>, "refreshTokens">;
  /** Replaces the request's session with a signed-out one once the sign-in is over. */
  endSession: (signedOut: Promise<AppSession>) => void;
}

/**
 * The session's access token, refreshed with its refresh token when it expires within the margin.
 * The refresh is the request's only KV write; one per token lifetime keeps it far below KV's
 * one-write-per-second-per-key limit.
 * @throws {AuthError} when Clerk cannot be reached to refresh an expiring token.
 */
export async function currentAccessToken({
  storage,
  request,
  session,
  strategy,
  endSession,
}: Options): Promise<string | null> {
  const current = await session();
  const tokens = current.get("tokens");
  if (!tokens) return null;
  const now = Date.now();
  if (!needsRefresh(tokens, now)) return tokens.accessToken;
  if (!tokens.refreshToken) return isExpired(tokens, now) ? null : tokens.accessToken;
  try {
    const fresh = await strategy.refreshTokens(tokens.refreshToken);
    current.set("tokens", fresh);
    await storage.commitSession(current, { expires: sessionExpiry(current) });
    return fresh.accessToken;
  } catch (error) {
    if (!(error instanceof AuthError) || error.code !== "invalid_grant") throw error;
    // A concurrent request (another tab) may have used the same refresh token first; with
    // rotation Clerk then refuses ours, but that request has stored the new tokens.
    const latest = (await storage.getSession(request.headers.get("Cookie"))).get("tokens");
    if (latest && latest.refreshToken !== tokens.refreshToken && !isExpired(latest, Date.now())) {
      return latest.accessToken;
    }
    // Clerk no longer honours this sign-in's refresh token (revoked): the sign-in is over.
    await storage.destroySession(current);
    endSession(storage.getSession(null));
    return null;
  }
}
