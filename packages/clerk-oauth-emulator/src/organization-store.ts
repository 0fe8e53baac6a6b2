/** The instance's permission and role catalogue, its organizations, and who belongs to which. */
import type {
  EmulatorMembership,
  EmulatorOrganization,
  EmulatorPermission,
  EmulatorRole,
  OrganizationOptions,
} from "./organization-types";
import {
  SEED_MEMBERSHIPS,
  SEED_ORGANIZATIONS,
  SEED_PERMISSIONS,
  SEED_ROLES,
} from "./seed-organizations";

export interface OrganizationStore {
  readonly enabled: boolean;
  permissions(): EmulatorPermission[];
  roles(): EmulatorRole[];
  role(key: string): EmulatorRole | undefined;
  organizations(): EmulatorOrganization[];
  organization(id: string): EmulatorOrganization | undefined;
  /** Newest first, ties broken by id, so pages stay stable while nothing changes. */
  memberships(filter?: { userId?: string; organizationId?: string }): EmulatorMembership[];
  membership(organizationId: string, userId: string): EmulatorMembership | undefined;
  membersCount(organizationId: string): number;
  addMembership(membership: EmulatorMembership): void;
  removeMembership(membership: EmulatorMembership): void;
  /** Removes the organization and its memberships. */
  deleteOrganization(id: string): void;
  /** A deleted user's memberships go with them. */
  forgetUser(userId: string): void;
}

function byNewest(a: EmulatorMembership, b: EmulatorMembership): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A membership naming an unknown organization, user or role fails here, not mid-test. */
function checkMemberships(
  memberships: readonly EmulatorMembership[],
  known: { organizations: Set<string>; roles: Set<string>; users: Set<string> },
): void {
  const pairs = new Set<string>();
  for (const entry of memberships) {
    if (!known.organizations.has(entry.organizationId)) {
      throw new RangeError(`Membership ${entry.id}: no organization ${entry.organizationId}`);
    }
    if (!known.users.has(entry.userId)) {
      throw new RangeError(`Membership ${entry.id}: no user ${entry.userId}`);
    }
    if (!known.roles.has(entry.role)) {
      throw new RangeError(`Membership ${entry.id}: no role ${entry.role}`);
    }
    const pair = `${entry.organizationId} ${entry.userId}`;
    if (pairs.has(pair)) throw new RangeError(`Membership ${entry.id}: the user is already in`);
    pairs.add(pair);
  }
}

export function checkRolePermissions(
  role: EmulatorRole,
  permissions: readonly EmulatorPermission[],
) {
  const unknown = role.permissions.filter((key) => !permissions.some((p) => p.key === key));
  if (unknown.length > 0) {
    throw new RangeError(`Role ${role.key}: unknown permissions ${unknown.join(", ")}`);
  }
}

export function createOrganizationStore(
  options: OrganizationOptions,
  userIds: readonly string[],
): OrganizationStore {
  const enabled = options.organizationsEnabled ?? true;
  // An instance without Organizations has none, unless a test passes some explicitly.
  const seedOrganizations = enabled ? SEED_ORGANIZATIONS : [];
  const seedMemberships = enabled ? SEED_MEMBERSHIPS : [];
  const permissions = structuredClone([...(options.permissions ?? SEED_PERMISSIONS)]);
  const roles = new Map(
    structuredClone([...(options.roles ?? SEED_ROLES)]).map((entry) => [entry.key, entry]),
  );
  for (const entry of roles.values()) checkRolePermissions(entry, permissions);
  const organizations = new Map(
    structuredClone([...(options.organizations ?? seedOrganizations)]).map((entry) => [
      entry.id,
      entry,
    ]),
  );
  const users = new Set(userIds);
  const seed = options.memberships ?? seedMemberships.filter((entry) => users.has(entry.userId));
  checkMemberships(seed, {
    organizations: new Set(organizations.keys()),
    roles: new Set(roles.keys()),
    users,
  });
  let memberships = structuredClone([...seed]);

  return {
    enabled,
    permissions: () => permissions,
    roles: () => [...roles.values()],
    role: (key) => roles.get(key),
    organizations: () => [...organizations.values()],
    organization: (id) => organizations.get(id),
    memberships(filter = {}) {
      return memberships
        .filter(
          (entry) =>
            (filter.userId === undefined || entry.userId === filter.userId) &&
            (filter.organizationId === undefined || entry.organizationId === filter.organizationId),
        )
        .sort(byNewest);
    },
    membership: (organizationId, userId) =>
      memberships.find(
        (entry) => entry.organizationId === organizationId && entry.userId === userId,
      ),
    membersCount: (organizationId) =>
      memberships.filter((entry) => entry.organizationId === organizationId).length,
    addMembership(membership) {
      memberships.push(membership);
    },
    removeMembership(membership) {
      memberships = memberships.filter((entry) => entry !== membership);
    },
    deleteOrganization(id) {
      organizations.delete(id);
      memberships = memberships.filter((entry) => entry.organizationId !== id);
    },
    forgetUser(userId) {
      memberships = memberships.filter((entry) => entry.userId !== userId);
    },
  };
}
