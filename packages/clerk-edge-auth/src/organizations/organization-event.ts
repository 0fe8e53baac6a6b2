import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";
import {
  type Membership,
  ORGANIZATION_ID,
  parseMembership,
  permissionKeys,
} from "./clerk-membership.js";

/** The organization events this app acts on, narrowed to what each changes. */
export type OrganizationEvent =
  | { kind: "membership_changed"; membership: Membership }
  | { kind: "membership_removed"; userId: string; orgId: string }
  | {
      kind: "organization_changed";
      organization: { id: string; name: string; slug: string | null; imageUrl: string | null };
    }
  | { kind: "organization_removed"; orgId: string }
  | { kind: "role_changed"; role: { key: string; name: string; permissions: string[] } }
  | { kind: "permission_removed"; key: string }
  /** A catalogue change that grants or takes nothing by itself (a new role or permission). */
  | { kind: "no_effect" };

/** Whether Clerk's event type is one of the organization events (whether or not it acts on it). */
export function isOrganizationEventType(type: string): boolean {
  return /^(organizationMembership|organization|role|permission)\./.test(type);
}

function organizationId(data: Record<string, unknown>): string | null {
  const id = nonEmptyStringOrNull(data.id);
  return id !== null && ORGANIZATION_ID.test(id) ? id : null;
}

/**
 * Narrows an organization event's `data`; null when it lacks what its type needs (the caller
 * refuses it with a 400), `no_effect` for types that change no membership.
 */
export function parseOrganizationEvent(type: string, data: unknown): OrganizationEvent | null {
  if (!isRecord(data)) return null;
  switch (type) {
    case "organizationMembership.created":
    case "organizationMembership.updated": {
      const membership = parseMembership(data);
      return membership && { kind: "membership_changed", membership };
    }
    case "organizationMembership.deleted": {
      const membership = parseMembership(data);
      return (
        membership && {
          kind: "membership_removed",
          userId: membership.userId,
          orgId: membership.orgId,
        }
      );
    }
    case "organization.updated": {
      const id = organizationId(data);
      return id === null
        ? null
        : {
            kind: "organization_changed",
            organization: {
              id,
              name: nonEmptyStringOrNull(data.name) ?? id,
              slug: nonEmptyStringOrNull(data.slug),
              imageUrl: nonEmptyStringOrNull(data.image_url),
            },
          };
    }
    case "organization.deleted": {
      const id = organizationId(data);
      return id === null ? null : { kind: "organization_removed", orgId: id };
    }
    case "role.created":
    case "role.updated": {
      const key = nonEmptyStringOrNull(data.key);
      return key === null
        ? null
        : {
            kind: "role_changed",
            role: {
              key,
              name: nonEmptyStringOrNull(data.name) ?? key,
              permissions: permissionKeys(data.permissions),
            },
          };
    }
    case "permission.deleted": {
      const key = nonEmptyStringOrNull(data.key);
      return key === null ? null : { kind: "permission_removed", key };
    }
    default:
      // organization.created (no one of ours is a member until a membership event says so),
      // role.deleted (Clerk refuses to delete a role members hold), permission.created|updated.
      return { kind: "no_effect" };
  }
}
