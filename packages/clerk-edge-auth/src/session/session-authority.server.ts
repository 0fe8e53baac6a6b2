import type { SessionUser } from "../auth/session-user.js";
import { withDeadline } from "../utils/deadline.js";
import { organizationSnapshotSql } from "../organizations/organization-snapshot-sql.js";
import type { OrganizationState } from "../organizations/organization-state.js";
import {
  type AuthoritySession,
  organizationsOf,
  parseJson,
  parseSessionRow,
  parseSessionUser,
} from "./session-record.js";
import type { TokenSeal } from "./token-seal.server.js";

export type { AuthoritySession } from "./session-record.js";

/** D1 is one network hop from the edge; past this the request gives up rather than hang. */
const D1_DEADLINE_MS = 3000;

/** Why a session ended; stored with it for the device list and for support. */
export type EndReason =
  | "signed_out"
  | "revoked_by_user"
  | "refresh_refused"
  | "idle_timeout"
  | "unreadable"
  | "replaced"
  | "user_deleted"
  | "user_banned"
  | "user_locked";

/** Reasons that end the account's sign-ins, not one session: later-landing sign-ins are refused. */
const ACCOUNT_END_REASONS: ReadonlySet<EndReason> = new Set([
  "user_deleted",
  "user_banned",
  "user_locked",
]);

/** What ending a session leaves to do: delete its KV copy, revoke its refresh token. */
export interface EndedSession {
  idHash: string;
  refreshToken: string | null;
}

/** What a user-field change leaves to do: rewrite the KV copy. */
export interface PatchedSession {
  idHash: string;
  user: SessionUser;
  expiresAt: number;
  organizations?: OrganizationState;
}

/** The user fields a change may write; the id never changes. */
const PATCHABLE_USER_FIELDS = [
  "email",
  "emailVerified",
  "firstName",
  "lastName",
  "fullName",
  "username",
  "imageUrl",
  "publicMetadata",
] as const satisfies ReadonlyArray<keyof SessionUser>;

/** The condition of every statement: a session is live until it ends or expires. */
export const LIVE = "ended_at IS NULL AND expires_at > ?";

export function run<T>(label: string, work: () => Promise<T>): Promise<T> {
  return withDeadline(`Session database ${label}`, D1_DEADLINE_MS, work);
}

/** `IN (?, ?, …)` for `count` values. */
export function inList(count: number): string {
  return `IN (${Array.from({ length: count }, () => "?").join(", ")})`;
}

/**
 * A `sessions` row with its tokens opened; null when it lacks what a session needs, or when a
 * token is sealed under no listed secret (the session then reads as signed out).
 */
async function openRow(
  seal: TokenSeal,
  row: Record<string, unknown>,
): Promise<AuthoritySession | null> {
  const idHash = String(row.id_hash);
  const [access, refresh, id] = await Promise.all([
    seal.open(idHash, "access_token", row.access_token),
    seal.open(idHash, "refresh_token", row.refresh_token),
    seal.open(idHash, "id_token", row.id_token),
  ]);
  if (access === undefined || refresh === undefined || id === undefined) return null;
  return parseSessionRow({ ...row, access_token: access, refresh_token: refresh, id_token: id });
}

/**
 * The session authority: every change to a session is one conditional statement against D1 that
 * matches live rows only, so a change that loses to a sign-out or revocation changes nothing.
 */
export function sessionAuthority(db: D1Database, seal: TokenSeal) {
  /**
   * Ends the live sessions matching `where` in one transaction: reads their refresh tokens (for
   * revocation at Clerk), then ends them and clears every token they held, so an ended row keeps
   * no credential. `before` runs first in the same transaction. A row counts as ended by this call
   * only when the update matched it.
   */
  async function endWhere(
    where: string,
    values: unknown[],
    reason: EndReason,
    now: number,
    before: D1PreparedStatement[] = [],
  ): Promise<EndedSession[]> {
    const read = db
      .prepare(`SELECT id_hash, refresh_token FROM sessions WHERE ${where} AND ended_at IS NULL`)
      .bind(...values);
    const end = db
      .prepare(
        `UPDATE sessions SET ended_at = ?, ended_reason = ?, version = version + 1,
           refreshing_until = NULL, access_token = '', refresh_token = NULL, id_token = NULL,
           access_expires_at = NULL
         WHERE ${where} AND ended_at IS NULL RETURNING id_hash`,
      )
      .bind(now, reason, ...values);
    const results = await db.batch<Record<string, unknown>>([...before, read, end]);
    const tokens = new Map(
      (results.at(-2)?.results ?? []).map((row) => [String(row.id_hash), row.refresh_token]),
    );
    return Promise.all(
      (results.at(-1)?.results ?? []).map(async (row) => {
        const idHash = String(row.id_hash);
        // A token that no longer opens cannot be revoked; its session ends all the same.
        const refreshToken = await seal.open(idHash, "refresh_token", tokens.get(idHash));
        return { idHash, refreshToken: refreshToken ?? null };
      }),
    );
  }

  return {
    /**
     * Writes a new session unless every session of its user was ended (account deleted, banned
     * or locked) at or after `startedAt`, when its sign-in began; null when refused. With
     * `activeOrgId` (organizations on; null for none) it also takes the organization snapshot of
     * the memberships stored for its user, and returns it.
     */
    insert(
      session: AuthoritySession,
      startedAt: number,
      activeOrgId?: string | null,
    ): Promise<{ organizations?: OrganizationState } | null> {
      const { idHash, tokens } = session;
      const withOrganizations = activeOrgId !== undefined;
      const snapshot = withOrganizations ? organizationSnapshotSql("?", "?") : "NULL";
      return run("insert", async () => {
        const [accessToken, refreshToken, idToken] = await Promise.all([
          seal.seal(idHash, "access_token", tokens.accessToken),
          tokens.refreshToken && seal.seal(idHash, "refresh_token", tokens.refreshToken),
          tokens.idToken && seal.seal(idHash, "id_token", tokens.idToken),
        ]);
        const { results } = await db
          .prepare(
            `INSERT INTO sessions (id_hash, handle, user_id, user_json, access_token, refresh_token,
               access_expires_at, scope, id_token, created_at, expires_at, last_active_at, device,
               place, active_org_id, org_json)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${snapshot}
             WHERE NOT EXISTS (
               SELECT 1 FROM user_session_ends WHERE user_id = ? AND ended_at >= ?)
             RETURNING org_json`,
          )
          .bind(
            session.idHash,
            session.handle,
            session.user.id,
            JSON.stringify(session.user),
            accessToken,
            refreshToken,
            tokens.expiresAt,
            tokens.scope.join(" "),
            idToken,
            session.createdAt,
            session.expiresAt,
            session.lastActiveAt,
            session.device,
            session.place,
            activeOrgId ?? null,
            // The snapshot names the user twice (whether memberships are known, and the active one).
            ...(withOrganizations ? [session.user.id, session.user.id, activeOrgId] : []),
            session.user.id,
            startedAt,
          )
          .all<Record<string, unknown>>();
        const row = results[0];
        return row ? organizationsOf(row) : null;
      });
    },

    /**
     * The live session; null when there is none, "unreadable" when its row cannot be read (its
     * tokens are sealed under a secret no longer listed).
     */
    findLive(idHash: string, now: number): Promise<AuthoritySession | null | "unreadable"> {
      return run("read", async () => {
        const row = await db
          .prepare(`SELECT * FROM sessions WHERE id_hash = ? AND ${LIVE}`)
          .bind(idHash, now)
          .first<Record<string, unknown>>();
        return row ? ((await openRow(seal, row)) ?? "unreadable") : null;
      });
    },

    listLive(userId: string, now: number): Promise<AuthoritySession[]> {
      return run("list", async () => {
        const { results } = await db
          .prepare(`SELECT * FROM sessions WHERE user_id = ? AND ${LIVE} ORDER BY created_at DESC`)
          .bind(userId, now)
          .all<Record<string, unknown>>();
        const sessions = await Promise.all(results.map((row) => openRow(seal, row)));
        return sessions.filter((session) => session !== null);
      });
    },

    /**
     * Records activity of a live session unless it already has some since `staleBefore`: with
     * that bound, at most one write per session per stretch of that length.
     */
    touch(idHash: string, now: number, staleBefore: number): Promise<void> {
      return run("touch", async () => {
        await db
          .prepare(
            `UPDATE sessions SET last_active_at = ?
             WHERE id_hash = ? AND ${LIVE} AND coalesce(last_active_at, created_at) < ?`,
          )
          .bind(now, idHash, now, staleBefore)
          .run();
      });
    },

    /** Of these sessions, the ones that are no longer live. */
    notLive(idHashes: string[], now: number): Promise<Set<string>> {
      if (idHashes.length === 0) return Promise.resolve(new Set());
      return run("check", async () => {
        const marks = idHashes.map(() => "?").join(", ");
        const { results } = await db
          .prepare(`SELECT id_hash FROM sessions WHERE id_hash IN (${marks}) AND ${LIVE}`)
          .bind(...idHashes, now)
          .all<{ id_hash: string }>();
        const live = new Set(results.map((row) => row.id_hash));
        return new Set(idHashes.filter((idHash) => !live.has(idHash)));
      });
    },

    /** Ends one session; with `refreshToken`, only while that is still its refresh token. */
    end(
      idHash: string,
      reason: EndReason,
      now: number,
      refreshToken?: string,
    ): Promise<EndedSession | null> {
      return run("end", async () => {
        const forms =
          refreshToken === undefined
            ? []
            : await seal.storedForms(idHash, "refresh_token", refreshToken);
        const ended =
          refreshToken === undefined
            ? await endWhere("id_hash = ?", [idHash], reason, now)
            : await endWhere(
                `id_hash = ? AND refresh_token ${inList(forms.length)}`,
                [idHash, ...forms],
                reason,
                now,
              );
        return ended[0] ?? null;
      });
    },

    /** Ends the session named by `handle` if it is another live session of `userId`. */
    endByHandle(
      userId: string,
      handle: string,
      exceptIdHash: string,
      now: number,
    ): Promise<EndedSession | null> {
      return run("end by handle", async () => {
        const ended = await endWhere(
          "handle = ? AND user_id = ? AND id_hash != ?",
          [handle, userId, exceptIdHash],
          "revoked_by_user",
          now,
        );
        return ended[0] ?? null;
      });
    },

    /**
     * Ends the live sessions of `userId` beyond its `keep` newest, oldest first, so one user's
     * sessions stay few enough for any fan-out over them to fit one request.
     */
    endBeyond(userId: string, keep: number, now: number): Promise<EndedSession[]> {
      return run("end beyond cap", () =>
        endWhere(
          `user_id = ? AND id_hash NOT IN (
             SELECT id_hash FROM sessions WHERE user_id = ? AND ${LIVE}
             ORDER BY created_at DESC, id_hash LIMIT ?)`,
          [userId, userId, now, keep],
          "replaced",
          now,
        ),
      );
    },

    /**
     * Ends every live session of `userId`, but the one named by `exceptIdHash` when given. For an
     * account-level reason it also marks the user, in the same transaction, so a sign-in that
     * began before now and lands later starts no session.
     */
    endAllOfUser(
      userId: string,
      reason: EndReason,
      now: number,
      exceptIdHash: string | null = null,
    ): Promise<EndedSession[]> {
      const mark = db
        .prepare(
          `INSERT INTO user_session_ends (user_id, ended_at) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET ended_at = max(ended_at, excluded.ended_at)`,
        )
        .bind(userId, now);
      return run("end all", () =>
        endWhere(
          "user_id = ? AND id_hash IS NOT ?",
          [userId, exceptIdHash],
          reason,
          now,
          ACCOUNT_END_REASONS.has(reason) ? [mark] : [],
        ),
      );
    },

    /**
     * Merges `patch` into the user fields of every live session matched, writing nothing else: a
     * name change never writes back tokens read earlier. With `updatedAt`, Clerk's time of the
     * fields, only sessions holding fields no newer are matched, and they keep it
     * (`user_updated_at`): a late retry of an older event finds no row.
     */
    patchUser(
      where: { idHash: string } | { userId: string },
      patch: Partial<SessionUser>,
      now: number,
      updatedAt: number | null = null,
    ): Promise<PatchedSession[]> {
      const [column, value] =
        "idHash" in where ? ["id_hash", where.idHash] : ["user_id", where.userId];
      // Each field is replaced whole (json_set), never merged: metadata Clerk removed a key from
      // loses it here too. Field names come from this fixed list, never from the caller's keys.
      const fields = PATCHABLE_USER_FIELDS.filter((field) => patch[field] !== undefined);
      if (fields.length === 0) return Promise.resolve([]);
      const paths = fields.map((field) => `'$.${field}', json(?)`).join(", ");
      const values = fields.map((field) => JSON.stringify(patch[field]));
      const [stamp, newer, order] =
        updatedAt === null
          ? ["", "", []]
          : [
              ", user_updated_at = ?",
              " AND (user_updated_at IS NULL OR user_updated_at <= ?)",
              [updatedAt],
            ];
      return run("update user", async () => {
        const { results } = await db
          .prepare(
            `UPDATE sessions SET user_json = json_set(user_json, ${paths}), version = version + 1${stamp}
             WHERE ${column} = ? AND ${LIVE}${newer} RETURNING id_hash, user_json, expires_at, org_json`,
          )
          .bind(...values, ...order, value, now, ...order)
          .all<Record<string, unknown>>();
        return results.flatMap((row) => {
          const user = parseSessionUser(parseJson(row.user_json));
          return user
            ? [
                {
                  idHash: String(row.id_hash),
                  user,
                  expiresAt: Number(row.expires_at),
                  ...organizationsOf(row),
                },
              ]
            : [];
        });
      });
    },
  };
}

export type SessionAuthority = ReturnType<typeof sessionAuthority>;
