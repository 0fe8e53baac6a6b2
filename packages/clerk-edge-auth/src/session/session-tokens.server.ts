import type { ClerkTokens } from "../auth/clerk-responses.js";
import { LIVE, run } from "./session-authority.server.js";

/**
 * The token half of the authority: a lease on the refresh token, so that of any number of
 * concurrent requests exactly one calls Clerk, and the compare-and-swap that stores its result.
 */
export function sessionTokens(db: D1Database) {
  return {
    /**
     * Takes the right to use `refreshToken` for `leaseMs`: true for exactly one of any number of
     * concurrent callers, so Clerk sees one refresh per refresh token.
     */
    claimRefresh(
      idHash: string,
      refreshToken: string,
      now: number,
      leaseMs: number,
    ): Promise<boolean> {
      return run("claim refresh", async () => {
        const { meta } = await db
          .prepare(
            `UPDATE sessions SET refreshing_until = ?
             WHERE id_hash = ? AND refresh_token = ? AND ${LIVE}
               AND (refreshing_until IS NULL OR refreshing_until <= ?)`,
          )
          .bind(now + leaseMs, idHash, refreshToken, now, now)
          .run();
        return meta.changes === 1;
      });
    },

    /** Gives the claim back after a refresh that failed for a passing reason. */
    releaseRefresh(idHash: string, refreshToken: string): Promise<void> {
      return run("release refresh", async () => {
        await db
          .prepare(
            "UPDATE sessions SET refreshing_until = NULL WHERE id_hash = ? AND refresh_token = ?",
          )
          .bind(idHash, refreshToken)
          .run();
      });
    },

    /** Stores refreshed tokens if the session is live and still holds `oldRefreshToken`. */
    saveTokens(
      idHash: string,
      oldRefreshToken: string,
      tokens: ClerkTokens,
      now: number,
    ): Promise<boolean> {
      return run("save tokens", async () => {
        const { meta } = await db
          .prepare(
            `UPDATE sessions SET access_token = ?, refresh_token = ?, access_expires_at = ?, scope = ?,
               id_token = ?, refreshing_until = NULL, version = version + 1
             WHERE id_hash = ? AND refresh_token = ? AND ${LIVE}`,
          )
          .bind(
            tokens.accessToken,
            tokens.refreshToken,
            tokens.expiresAt,
            tokens.scope.join(" "),
            tokens.idToken,
            idHash,
            oldRefreshToken,
            now,
          )
          .run();
        return meta.changes === 1;
      });
    },
  };
}

export type SessionTokens = ReturnType<typeof sessionTokens>;
