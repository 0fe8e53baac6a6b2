import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";

/**
 * One of the user's memberships as the authority keeps it: Clerk's OrganizationMembership narrowed
 * to the role, the permissions and the organization's public fields. Neither the organization's
 * nor the membership's private_metadata is ever read out of Clerk's answer.
 */
export interface Membership {
  userId: string;
  orgId: string;
  orgName: string;
  orgSlug: string | null;
  orgImageUrl: string | null;
  role: string;
  roleName: string;
  permissions: string[];
  /** Clerk's updated_at (ms), so an older webhook cannot undo a newer change. */
  updatedAt: number;
}

/** A member of an organization as /org/members shows them: public user data and role only. */
export interface OrganizationMember {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  /** The email address (or username) Clerk shows for the member. */
  identifier: string;
  role: string;
  roleName: string;
}

/** Clerk organization ids are `org_` and base62; nothing else reaches a query or a URL path. */
export const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;

/** The permission keys of a Clerk role or membership. */
export function permissionKeys(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  // Memberships list keys; role objects (role.* webhooks) list permission objects with a `key`.
  return value.flatMap((entry: unknown) => {
    const key = isRecord(entry) ? entry.key : entry;
    return typeof key === "string" && key !== "" ? [key] : [];
  });
}

/** Narrows one OrganizationMembership; null when it lacks the organization, user or role. */
export function parseMembership(value: unknown): Membership | null {
  if (!isRecord(value) || !isRecord(value.organization) || !isRecord(value.public_user_data)) {
    return null;
  }
  const organization = value.organization;
  const orgId = nonEmptyStringOrNull(organization.id);
  const userId = nonEmptyStringOrNull(value.public_user_data.user_id);
  const role = nonEmptyStringOrNull(value.role);
  if (orgId === null || !ORGANIZATION_ID.test(orgId) || userId === null || role === null) {
    return null;
  }
  return {
    userId,
    orgId,
    orgName: nonEmptyStringOrNull(organization.name) ?? orgId,
    orgSlug: nonEmptyStringOrNull(organization.slug),
    orgImageUrl: nonEmptyStringOrNull(organization.image_url),
    role,
    roleName: nonEmptyStringOrNull(value.role_name) ?? role,
    permissions: permissionKeys(value.permissions),
    updatedAt: typeof value.updated_at === "number" ? value.updated_at : 0,
  };
}

/** Narrows one OrganizationMembership to the member's public fields; null when it is not one. */
export function parseMember(value: unknown): OrganizationMember | null {
  if (!isRecord(value) || !isRecord(value.public_user_data)) return null;
  const user = value.public_user_data;
  const userId = nonEmptyStringOrNull(user.user_id);
  const role = nonEmptyStringOrNull(value.role);
  if (userId === null || role === null) return null;
  return {
    userId,
    firstName: nonEmptyStringOrNull(user.first_name),
    lastName: nonEmptyStringOrNull(user.last_name),
    identifier: nonEmptyStringOrNull(user.identifier) ?? nonEmptyStringOrNull(user.username) ?? "",
    role,
    roleName: nonEmptyStringOrNull(value.role_name) ?? role,
  };
}
