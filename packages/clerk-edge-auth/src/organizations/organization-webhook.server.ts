import type { SessionStore } from "../session/session-store.server.js";
import { organizationAuthority } from "./organization-authority.server.js";
import type { OrganizationEvent } from "./organization-event.js";

/**
 * Applies an organization event at the authority (memberships and the snapshot of every live
 * session it touches, in one transaction), then to those sessions' KV copies; returns how many
 * sessions changed. Every effect is idempotent, so a retried delivery redoes it harmlessly.
 * @throws when the authority fails: the webhook then answers so that Clerk retries.
 */
export async function applyOrganizationEvent(
  db: D1Database,
  store: SessionStore,
  event: OrganizationEvent,
  now: number,
): Promise<number> {
  const authority = organizationAuthority(db);
  const changed = await (() => {
    switch (event.kind) {
      case "membership_changed":
        return authority.upsertMembership(event.membership, now);
      case "membership_removed":
        return authority.removeMembership(event.userId, event.orgId, now);
      case "organization_changed":
        return authority.updateOrganization(event.organization, now);
      case "organization_removed":
        return authority.deleteOrganization(event.orgId, now);
      case "role_changed":
        return authority.updateRole(event.role, now);
      case "permission_removed":
        return authority.deletePermission(event.key, now);
      case "no_effect":
        return Promise.resolve([]);
    }
  })();
  await store.copyChanged(changed);
  return changed.length;
}
