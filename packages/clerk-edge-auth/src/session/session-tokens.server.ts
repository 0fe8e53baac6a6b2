import type { ClerkTokens } from "../auth/clerk-responses.js";
import { inList, LIVE, run } from "./session-authority.server.js";
import type { TokenSeal } from "./token-seal.server.js";

/**
 * The token half of the authority: a lease on the refresh token, so that of any number of
 * concurrent requests exactly one calls Clerk, and the compare-and-swap that stores its result.
 * Tokens are sealed at rest; a condition on the refresh token matches each form a row may hold it
 * in (sealed under any listed secret, or as written before sealing).
 */
export function sessionTokens(db: D1Database, seal: TokenSeal) {
  const forms = (idHash: string, refreshToken: string) =>
    seal.storedForms(idHash, "refresh_token", refreshToken);
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
        const stored = await forms(idHash, refreshToken);
        const { meta } = await db
          .prepare(
            `UPDATE sessions SET refreshing_until = ?
             WHERE id_hash = ? AND refresh_token ${inList(stored.length)} AND ${LIVE}
               AND (refreshing_until IS NULL OR refreshing_until <= ?)`,
          )
          .bind(now + leaseMs, idHash, ...stored, now, now)
          .run();
        return meta.changes === 1;
      });
    },

    /** Gives the claim back after a refresh that failed for a passing reason. */
    releaseRefresh(idHash: string, refreshToken: string): Promise<void> {
      return run("release refresh", async () => {
        const stored = await forms(idHash, refreshToken);
        await db
          .prepare(
            `UPDATE sessions SET refreshing_until = NULL
             WHERE id_hash = ? AND refresh_token ${inList(stored.length)}`,
          )
          .bind(idHash, ...stored)
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
        const [stored, accessToken, refreshToken, idToken] = await Promise.all([
          forms(idHash, oldRefreshToken),
          seal.seal(idHash, "access_token", tokens.accessToken),
          tokens.refreshToken && seal.seal(idHash, "refresh_token", tokens.refreshToken),
          tokens.idToken && seal.seal(idHash, "id_token", tokens.idToken),
        ]);
        const { meta } = await db
          .prepare(
            `UPDATE sessions SET access_token = ?, refresh_token = ?, access_expires_at = ?, scope = ?,
               id_token = ?, refreshing_until = NULL, version = version + 1
             WHERE id_hash = ? AND refresh_token ${inList(stored.length)} AND ${LIVE}`,
          )
          .bind(
            accessToken,
            refreshToken,
            tokens.expiresAt,
            tokens.scope.join(" "),
            idToken,
            idHash,
            ...stored,
            now,
          )
          .run();
        return meta.changes === 1;
      });
    },
  };
}

export type SessionTokens = ReturnType<typeof sessionTokens>;
