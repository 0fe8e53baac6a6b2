import type { SessionStore } from "../session/session-store.server.js";
import { errorName } from "../utils/request-facts.js";
import { AuthError } from "./auth-error.js";
import type { ClerkTokens } from "./clerk-responses.js";
import type { ClerkOAuthClient } from "./oauth-client.server.js";

/**
 * Refresh this long before the access token expires, so a token handed to a caller still works
 * for the call it is about to make (and for small clock skew between the edge and Clerk).
 */
export const REFRESH_MARGIN_MS = 60_000;
/** How long one request holds the right to refresh: longer than a token call may take (5 s). */
export const REFRESH_LEASE_MS = 6_000;
/** A request waiting for another's refresh asks the authority after 50 ms, then ever less often. */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 500;
/**
 * The most authority queries one `getToken()` makes, polls included: well inside D1's 50 queries
 * per invocation on the Free plan, leaving the rest of the request room.
 */
export const MAX_TOKEN_QUERIES = 30;
/**
 * Tries at storing refreshed tokens. Clerk has already rotated the refresh token by then, so a
 * save that is given up on leaves the session holding one Clerk no longer honours.
 */
const SAVE_ATTEMPTS = 3;
/** The pause before each further save: D1's passing errors tend to clear within moments. */
const SAVE_RETRY_PAUSE_MS = 100;
/** What one round may still need: read, claim, every save attempt, then a read to confirm. */
const ROUND_QUERIES = 2 + SAVE_ATTEMPTS + 1;

/** True when the access token is expired or expires within the margin; unknown expiry never is. */
export function needsRefresh(tokens: ClerkTokens, now: number): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt - now <= REFRESH_MARGIN_MS;
}

/** True when the access token can no longer be used at all. */
export function isExpired(tokens: ClerkTokens, now: number): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt <= now;
}

interface Options {
  store: SessionStore;
  idHash: string;
  client: Pick<ClerkOAuthClient, "refreshTokens">;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The session's access token as the authority holds it, refreshed when it expires within the
 * margin. Single flight: of any number of concurrent requests, one claims the refresh token at the
 * authority and calls Clerk; the others keep using the current token while it still works, or wait
 * for the claimant's tokens. Only Clerk refusing the session's current refresh token ends it.
 * Null when there is no live session (or it just ended).
 * @throws {AuthError} `provider_unavailable` when Clerk cannot be reached to refresh an expired
 *   token, `session_unavailable` when the authority cannot be read.
 */
export async function currentAccessToken({
  store,
  idHash,
  client,
  now = Date.now,
  sleep = defaultSleep,
}: Options): Promise<string | null> {
  let queries = 0;
  const live = () => {
    queries += 1;
    return liveOrUnknown(store, idHash);
  };
  // Two rounds: a claim left by a request that died is taken over once its lease runs out.
  for (let round = 0; round < 2 && queries + ROUND_QUERIES <= MAX_TOKEN_QUERIES; round++) {
    const session = await live();
    if (session === null) return null;
    const { tokens } = session;
    const { refreshToken } = tokens;
    const started = now();
    if (!needsRefresh(tokens, started)) return tokens.accessToken;
    // This sign-in cannot refresh; the token serves until it expires, then the user signs in again.
    if (refreshToken === null) return isExpired(tokens, started) ? null : tokens.accessToken;

    queries += 1;
    if (await store.tokens.claimRefresh(idHash, refreshToken, started, REFRESH_LEASE_MS)) {
      return refreshAsClaimant(store, idHash, refreshToken, client, now, sleep);
    }
    if (!isExpired(tokens, started)) return tokens.accessToken;
    let wait = FIRST_POLL_MS;
    while (now() - started < REFRESH_LEASE_MS && queries + 1 + ROUND_QUERIES <= MAX_TOKEN_QUERIES) {
      await sleep(wait);
      wait = Math.min(wait * 2, MAX_POLL_MS);
      const latest = await live();
      if (latest === null) return null;
      if (latest.tokens.refreshToken !== refreshToken || !needsRefresh(latest.tokens, now())) {
        return latest.tokens.accessToken;
      }
    }
  }
  throw new AuthError("provider_unavailable", { cause: "a token refresh did not finish in time" });
}

/** The live session; a failed read is "unknown", never "signed out". */
async function liveOrUnknown(store: SessionStore, idHash: string) {
  try {
    return await store.liveSession(idHash);
  } catch (error) {
    throw new AuthError("session_unavailable", { cause: errorName(error) });
  }
}

async function refreshAsClaimant(
  store: SessionStore,
  idHash: string,
  refreshToken: string,
  client: Pick<ClerkOAuthClient, "refreshTokens">,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<string | null> {
  let fresh: ClerkTokens;
  try {
    fresh = await client.refreshTokens(refreshToken);
  } catch (error) {
    if (error instanceof AuthError && error.code === "invalid_grant") {
      // Clerk no longer honours the session's current refresh token: the sign-in is over.
      await store.end(idHash, "refresh_refused", refreshToken);
      return null;
    }
    await store.tokens.releaseRefresh(idHash, refreshToken).catch(() => undefined);
    throw error;
  }
  const saved = await saveRefreshed(store, idHash, refreshToken, fresh, now, sleep);
  if (saved.outcome === "stored") return fresh.accessToken;
  // The session ended while Clerk answered, another request's tokens replaced it after the lease
  // ran out, or the new tokens could not be stored: the new refresh token must not stay valid
  // at Clerk with no session holding it.
  if (fresh.refreshToken !== null) store.revokeLater(fresh.refreshToken);
  if (saved.outcome === "ended") return null;
  if (saved.outcome === "superseded") return saved.accessToken;
  console.error(
    `Refreshed tokens could not be stored; the new refresh token is being revoked (${errorName(saved.error)})`,
  );
  throw new AuthError("session_unavailable", { cause: "the refreshed tokens could not be stored" });
}

type SaveOutcome =
  | { outcome: "stored" }
  | { outcome: "ended" }
  | { outcome: "superseded"; accessToken: string }
  | { outcome: "failed"; error: unknown };

/**
 * Stores refreshed tokens, trying again when the authority fails or does not answer in time. A
 * try that timed out may still have landed, so a later try that matches nothing asks the
 * authority which tokens the session now holds: its own new ones mean the save did land.
 */
async function saveRefreshed(
  store: SessionStore,
  idHash: string,
  oldRefreshToken: string,
  fresh: ClerkTokens,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<SaveOutcome> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(SAVE_RETRY_PAUSE_MS * attempt);
    let stored: boolean;
    try {
      stored = await store.tokens.saveTokens(idHash, oldRefreshToken, fresh, now());
    } catch (error) {
      lastError = error;
      continue;
    }
    if (stored) return { outcome: "stored" };
    if (attempt === 0) return { outcome: "ended" };
    try {
      const session = await store.liveSession(idHash);
      if (session === null) return { outcome: "ended" };
      if (holds(session.tokens, fresh)) return { outcome: "stored" };
      return { outcome: "superseded", accessToken: session.tokens.accessToken };
    } catch (error) {
      return { outcome: "failed", error };
    }
  }
  return { outcome: "failed", error: lastError };
}

/** True when the session holds exactly these tokens (by the refresh token when there is one). */
function holds(held: ClerkTokens, fresh: ClerkTokens): boolean {
  return fresh.refreshToken !== null
    ? held.refreshToken === fresh.refreshToken
    : held.accessToken === fresh.accessToken;
}
