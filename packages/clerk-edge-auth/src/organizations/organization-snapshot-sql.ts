/**
 * The SQL expression for a session's organization snapshot (the `org_json` its KV copy holds),
 * computed from the user's memberships at the authority in the statement that changes it, so the
 * row an action reads and the copy a view reads never disagree about role or permissions.
 * `userId` and `activeOrgId` are SQL expressions (a column, `?`, or NULL); `userId` appears twice,
 * then `activeOrgId` once, which is the order `?` parameters are bound in.
 */
export function organizationSnapshotSql(userId: string, activeOrgId: string): string {
  return `json_object(
    'known', EXISTS (SELECT 1 FROM org_users u WHERE u.user_id = ${userId} AND u.synced_at IS NOT NULL),
    'active', json((SELECT json_object('id', m.org_id, 'name', m.org_name, 'slug', m.org_slug,
        'role', m.role, 'roleName', m.role_name, 'permissions', json(m.permissions_json))
      FROM org_memberships m WHERE m.user_id = ${userId} AND m.org_id = ${activeOrgId})))`;
}

/** The snapshot of a session row, as an UPDATE of `sessions` recomputes it. */
export const SESSION_SNAPSHOT_SQL = organizationSnapshotSql(
  "sessions.user_id",
  "sessions.active_org_id",
);
