import { LIVE, type PatchedSession, run } from "../session/session-authority.server.js";
import { parseJson, parseSessionUser } from "../session/session-record.js";
import type { Membership } from "./clerk-membership.js";
import { organizationSnapshotSql, SESSION_SNAPSHOT_SQL } from "./organization-snapshot-sql.js";
import { parseOrganizationState } from "./organization-state.js";

/** The user's memberships as the authority keeps them, and whether they are known. */
export interface StoredMemberships {
  memberships: Membership[];
  /** Epoch ms of the last complete read from Clerk; null when none succeeded yet. */
  syncedAt: number | null;
  /** Epoch ms before which a failed read is not tried again. */
  retryAt: number;
  /** The session's active organization at the authority, when a session was named. */
  activeOrgId: string | null;
}

/** Recomputes the snapshot of the live organization sessions matched, returning their copies. */
const REFRESH = (where: string) =>
  `UPDATE sessions SET org_json = ${SESSION_SNAPSHOT_SQL}, version = version + 1
   WHERE (${where}) AND org_json IS NOT NULL AND ${LIVE}
   RETURNING id_hash, user_json, expires_at, org_json`;

const MEMBERSHIP_COLUMNS = `user_id, org_id, org_name, org_slug, org_image_url, role, role_name,
  permissions_json, updated_at`;

/** One membership as the JSON that `json_each` reads back into columns. */
function membershipJson(membership: Membership) {
  return {
    user_id: membership.userId,
    org_id: membership.orgId,
    org_name: membership.orgName,
    org_slug: membership.orgSlug,
    org_image_url: membership.orgImageUrl,
    role: membership.role,
    role_name: membership.roleName,
    permissions_json: JSON.stringify(membership.permissions),
    updated_at: membership.updatedAt,
  };
}

const FROM_JSON = `SELECT ${MEMBERSHIP_COLUMNS.split(",")
  .map((column) => `json_extract(value, '$.${column.trim()}')`)
  .join(", ")} FROM json_each(?)`;

function parseMembershipRow(row: Record<string, unknown>): Membership {
  const permissions = parseJson(row.permissions_json);
  return {
    userId: String(row.user_id),
    orgId: String(row.org_id),
    orgName: String(row.org_name),
    orgSlug: typeof row.org_slug === "string" ? row.org_slug : null,
    orgImageUrl: typeof row.org_image_url === "string" ? row.org_image_url : null,
    role: String(row.role),
    roleName: String(row.role_name),
    permissions: Array.isArray(permissions)
      ? permissions.filter((key) => typeof key === "string")
      : [],
    updatedAt: Number(row.updated_at),
  };
}

/** The KV copies a refresh leaves to write. */
function copiesOf(rows: Record<string, unknown>[] | undefined): PatchedSession[] {
  return (rows ?? []).flatMap((row) => {
    const user = parseSessionUser(parseJson(row.user_json));
    if (user === null) return [];
    return [
      {
        idHash: String(row.id_hash),
        user,
        expiresAt: Number(row.expires_at),
        organizations: parseOrganizationState(parseJson(row.org_json)),
      },
    ];
  });
}

/**
 * Organizations at the session authority: the users' memberships (one copy per user) and each
 * session's active organization. Every change recomputes, in the same transaction, the snapshot
 * of every live session it affects and returns them, for their KV copies to follow.
 */
export function organizationAuthority(db: D1Database) {
  async function batch(statements: D1PreparedStatement[]): Promise<PatchedSession[]> {
    const results = await db.batch<Record<string, unknown>>(statements);
    return copiesOf(results.at(-1)?.results);
  }

  return {
    /** Replaces the user's memberships with a complete read from Clerk; refreshes their sessions. */
    replaceMemberships(userId: string, memberships: Membership[], now: number) {
      return run("memberships", () =>
        batch([
          db.prepare("DELETE FROM org_memberships WHERE user_id = ?").bind(userId),
          db
            .prepare(`INSERT INTO org_memberships (${MEMBERSHIP_COLUMNS}) ${FROM_JSON}`)
            .bind(JSON.stringify(memberships.map(membershipJson))),
          db
            .prepare(
              `INSERT INTO org_users (user_id, synced_at, retry_at) VALUES (?, ?, 0)
               ON CONFLICT (user_id) DO UPDATE SET synced_at = excluded.synced_at, retry_at = 0`,
            )
            .bind(userId, now),
          db.prepare(REFRESH("user_id = ?")).bind(userId, now),
        ]),
      );
    },

    /**
     * Notes a failed read: memberships read before stay (webhooks kept them in step), and none is
     * tried again before `retryAt`.
     */
    noteFailedRead(userId: string, retryAt: number): Promise<void> {
      return run("memberships", async () => {
        await db
          .prepare(
            `INSERT INTO org_users (user_id, synced_at, retry_at) VALUES (?, NULL, ?)
             ON CONFLICT (user_id) DO UPDATE SET retry_at = excluded.retry_at`,
          )
          .bind(userId, retryAt)
          .run();
      });
    },

    /** The user's memberships, by organization name, whether they are known, and the active one. */
    memberships(userId: string, idHash: string): Promise<StoredMemberships> {
      return run("memberships", async () => {
        const [list, state, session] = await db.batch<Record<string, unknown>>([
          db
            .prepare("SELECT * FROM org_memberships WHERE user_id = ? ORDER BY org_name, org_id")
            .bind(userId),
          db.prepare("SELECT synced_at, retry_at FROM org_users WHERE user_id = ?").bind(userId),
          db
            .prepare("SELECT active_org_id FROM sessions WHERE id_hash = ? AND user_id = ?")
            .bind(idHash, userId),
        ]);
        const sync = state?.results[0];
        const active = session?.results[0]?.active_org_id;
        return {
          memberships: (list?.results ?? []).map(parseMembershipRow),
          syncedAt: typeof sync?.synced_at === "number" ? sync.synced_at : null,
          retryAt: typeof sync?.retry_at === "number" ? sync.retry_at : 0,
          activeOrgId: typeof active === "string" ? active : null,
        };
      });
    },

    /**
     * Makes `orgId` the active organization of one live session, only when the session's user is
     * a member of it here; null (nothing changed) otherwise.
     */
    switchActive(idHash: string, orgId: string, now: number): Promise<PatchedSession | null> {
      return run("switch organization", async () => {
        const [update, refresh] = await db.batch<Record<string, unknown>>([
          db
            .prepare(
              `UPDATE sessions SET active_org_id = ?
               WHERE id_hash = ? AND org_json IS NOT NULL AND ${LIVE} AND EXISTS (
                 SELECT 1 FROM org_memberships m WHERE m.user_id = sessions.user_id AND m.org_id = ?)`,
            )
            .bind(orgId, idHash, now, orgId),
          db.prepare(REFRESH("id_hash = ? AND active_org_id = ?")).bind(idHash, orgId, now),
        ]);
        if (update?.meta.changes !== 1) return null;
        return copiesOf(refresh?.results)[0] ?? null;
      });
    },

    /**
     * A membership created or changed at Clerk, for a user whose memberships are kept here; an
     * older change than the one stored changes nothing.
     */
    upsertMembership(membership: Membership, now: number) {
      const row = membershipJson(membership);
      return run("membership change", () =>
        batch([
          db
            .prepare(
              `INSERT INTO org_memberships (${MEMBERSHIP_COLUMNS}) ${FROM_JSON}
               WHERE EXISTS (SELECT 1 FROM org_users WHERE user_id = ?)
               ON CONFLICT (user_id, org_id) DO UPDATE SET org_name = excluded.org_name,
                 org_slug = excluded.org_slug, org_image_url = excluded.org_image_url,
                 role = excluded.role, role_name = excluded.role_name,
                 permissions_json = excluded.permissions_json, updated_at = excluded.updated_at
               WHERE excluded.updated_at >= org_memberships.updated_at`,
            )
            .bind(JSON.stringify([row]), membership.userId),
          db.prepare(REFRESH("user_id = ?")).bind(membership.userId, now),
        ]),
      );
    },

    /** A membership ended at Clerk: gone here, and no session of the user acts in it any more. */
    removeMembership(userId: string, orgId: string, now: number) {
      return run("membership removal", () =>
        batch([
          db
            .prepare("DELETE FROM org_memberships WHERE user_id = ? AND org_id = ?")
            .bind(userId, orgId),
          db
            .prepare(
              "UPDATE sessions SET active_org_id = NULL WHERE user_id = ? AND active_org_id = ?",
            )
            .bind(userId, orgId),
          db.prepare(REFRESH("user_id = ?")).bind(userId, now),
        ]),
      );
    },

    /** An organization's public fields changed at Clerk. */
    updateOrganization(
      org: { id: string; name: string; slug: string | null; imageUrl: string | null },
      now: number,
    ) {
      return run("organization change", () =>
        batch([
          db
            .prepare(
              "UPDATE org_memberships SET org_name = ?, org_slug = ?, org_image_url = ? WHERE org_id = ?",
            )
            .bind(org.name, org.slug, org.imageUrl, org.id),
          db.prepare(REFRESH("active_org_id = ?")).bind(org.id, now),
        ]),
      );
    },

    /** An organization deleted at Clerk: every membership in it goes, and every session leaves it. */
    deleteOrganization(orgId: string, now: number) {
      return run("organization removal", () =>
        batch([
          db.prepare("DELETE FROM org_memberships WHERE org_id = ?").bind(orgId),
          db
            .prepare(
              `UPDATE sessions SET active_org_id = NULL,
                 org_json = ${organizationSnapshotSql("sessions.user_id", "NULL")},
                 version = version + 1
               WHERE active_org_id = ? AND org_json IS NOT NULL AND ${LIVE}
               RETURNING id_hash, user_json, expires_at, org_json`,
            )
            .bind(orgId, now),
        ]),
      );
    },

    /** A role's name or permissions changed in Clerk's catalogue: every membership holding it follows. */
    updateRole(role: { key: string; name: string; permissions: string[] }, now: number) {
      return run("role change", () =>
        batch([
          db
            .prepare(
              "UPDATE org_memberships SET role_name = ?, permissions_json = ? WHERE role = ?",
            )
            .bind(role.name, JSON.stringify(role.permissions), role.key),
          db.prepare(REFRESH("json_extract(org_json, '$.active.role') = ?")).bind(role.key, now),
        ]),
      );
    },

    /** A permission deleted from Clerk's catalogue: no membership grants it any more. */
    deletePermission(key: string, now: number) {
      const holds = (column: string) =>
        `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`;
      return run("permission removal", () =>
        batch([
          db
            .prepare(
              `UPDATE org_memberships SET permissions_json = (
                 SELECT json_group_array(value) FROM json_each(permissions_json) WHERE value != ?)
               WHERE ${holds("permissions_json")}`,
            )
            .bind(key, key),
          db
            .prepare(REFRESH(holds("json_extract(org_json, '$.active.permissions')")))
            .bind(key, now),
        ]),
      );
    },
  };
}

export type OrganizationAuthority = ReturnType<typeof organizationAuthority>;
