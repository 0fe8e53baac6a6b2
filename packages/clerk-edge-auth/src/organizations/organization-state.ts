import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";

/**
 * The session's active organization as views need it: the organization's public name and slug,
 * and the user's role and permissions in it. Travels in the KV copy and the root loader's data.
 */
export interface ActiveOrganization {
  id: string;
  name: string;
  slug: string | null;
  /** A role key such as `org:admin`, `org:member` or a custom `org:billing_manager`. */
  role: string;
  /** The role's display name, such as "Admin". */
  roleName: string;
  /** Permission keys such as `org:sys_memberships:read` or a custom `org:invoices:read`. */
  permissions: string[];
}

/**
 * A session's organizations, present only when organizations are on: the active one (or none), and
 * whether the user's memberships could be read from Clerk (false: the session started without
 * them and says so; they are read again later).
 */
export interface OrganizationState {
  active: ActiveOrganization | null;
  known: boolean;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry) => typeof entry === "string") : [];
}

/** Narrows a stored active organization; null for anything that is not one. */
export function parseActiveOrganization(value: unknown): ActiveOrganization | null {
  if (!isRecord(value)) return null;
  const id = nonEmptyStringOrNull(value.id);
  const role = nonEmptyStringOrNull(value.role);
  if (id === null || role === null) return null;
  return {
    id,
    name: nonEmptyStringOrNull(value.name) ?? id,
    slug: nonEmptyStringOrNull(value.slug),
    role,
    roleName: nonEmptyStringOrNull(value.roleName) ?? role,
    permissions: stringList(value.permissions),
  };
}

/** Narrows a stored organization state (SQLite writes booleans as 0 and 1); undefined when absent. */
export function parseOrganizationState(value: unknown): OrganizationState | undefined {
  if (!isRecord(value)) return undefined;
  return {
    active: parseActiveOrganization(value.active),
    known: value.known === true || value.known === 1,
  };
}
