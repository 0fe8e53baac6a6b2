/**
 * Seed organizations, roles and memberships for the seed users, with fixed ids so tests, fixtures
 * and a developer's notes can refer to the same teams.
 */
import { initialsAvatar } from "./avatar";
import type {
  EmulatorMembership,
  EmulatorOrganization,
  EmulatorPermission,
  EmulatorRole,
} from "./organization-types";
import { BACKEND_ONLY_MARKER, SEED_USERS } from "./seed-users";

const CATALOGUE_CREATED_AT = Date.UTC(2024, 0, 2);

function permission(id: string, key: string, name: string): EmulatorPermission {
  return { id, key, name, description: name, createdAt: CATALOGUE_CREATED_AT };
}

export const SEED_PERMISSIONS: readonly EmulatorPermission[] = Object.freeze([
  permission("perm_2SysProfileManage", "org:sys_profile:manage", "Manage organization"),
  permission("perm_2SysProfileDelete", "org:sys_profile:delete", "Delete organization"),
  permission("perm_2SysMembershipsRead", "org:sys_memberships:read", "Read members"),
  permission("perm_2SysMembershipsManage", "org:sys_memberships:manage", "Manage members"),
  permission("perm_2SysDomainsRead", "org:sys_domains:read", "Read domains"),
  permission("perm_2SysDomainsManage", "org:sys_domains:manage", "Manage domains"),
  permission("perm_2InvoicesRead", "org:invoices:read", "Read invoices"),
  permission("perm_2InvoicesManage", "org:invoices:manage", "Manage invoices"),
]);

function role(id: string, key: string, name: string, permissions: string[]): EmulatorRole {
  const createdAt = CATALOGUE_CREATED_AT;
  return { id, key, name, description: name, permissions, createdAt, updatedAt: createdAt };
}

/** `org:member` cannot read the member list: only admins and billing managers can. */
export const SEED_ROLES: readonly EmulatorRole[] = Object.freeze([
  role(
    "role_2tPQGQe39pkwc6kWMPpwr3Nk3R3",
    "org:admin",
    "Admin",
    SEED_PERMISSIONS.map((entry) => entry.key),
  ),
  role("role_2ebYiXasql9AA8F8QcnhB3uRQN0", "org:member", "Member", ["org:sys_domains:read"]),
  role("role_2gFvYsBno2fdEJQXeHnFdVH1tYM", "org:billing_manager", "Billing manager", [
    "org:sys_memberships:read",
    "org:invoices:read",
    "org:invoices:manage",
  ]),
]);

const [ADA, GRACE, ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];

function organization(
  id: string,
  name: string,
  slug: string,
  createdAt: number,
  extra: Partial<EmulatorOrganization> = {},
): EmulatorOrganization {
  return {
    id,
    name,
    slug,
    imageUrl: initialsAvatar(name),
    publicMetadata: {},
    privateMetadata: {},
    createdBy: null,
    createdAt,
    updatedAt: createdAt,
    ...extra,
  };
}

export const ACME_ID = "org_2VHBBUmzXQWy5T7F0CIVVElEusU";
export const GLOBEX_ID = "org_2GyNPsWBna45MTINpmCnwaVZwg2";
/** Alan Turing belongs to this many huts and to Acme: more than one page at the default limit. */
const HUT_COUNT = 12;

const hutId = (n: number) => `org_2BletchleyParkHut${String(n).padStart(2, "0")}x0000`;

export const SEED_ORGANIZATIONS: readonly EmulatorOrganization[] = Object.freeze([
  // Both backend-only fields carry the marker, so tests can prove neither reaches a browser.
  organization(ACME_ID, "Acme Corporation", "acme", Date.UTC(2024, 1, 1), {
    createdBy: ADA,
    publicMetadata: { plan: "enterprise" },
    privateMetadata: { billingNote: BACKEND_ONLY_MARKER },
  }),
  organization(GLOBEX_ID, "Globex", "globex", Date.UTC(2024, 1, 2), { createdBy: GRACE }),
  ...Array.from({ length: HUT_COUNT }, (_, i) =>
    organization(hutId(i + 1), `Hut ${i + 1}`, `bletchley-hut-${i + 1}`, Date.UTC(2024, 2, i + 1)),
  ),
]);

function membership(
  id: string,
  organizationId: string,
  userId: string,
  roleKey: string,
  createdAt: number,
  extra: Partial<EmulatorMembership> = {},
): EmulatorMembership {
  return {
    id,
    organizationId,
    userId,
    role: roleKey,
    publicMetadata: {},
    privateMetadata: {},
    createdAt,
    updatedAt: createdAt,
    ...extra,
  };
}

export const SEED_MEMBERSHIPS: readonly EmulatorMembership[] = Object.freeze([
  membership(
    "orgmem_2mi9wwWlcODDPwR1V7Z8VKHZ6Zw",
    ACME_ID,
    ADA,
    "org:admin",
    Date.UTC(2024, 1, 1),
    {
      publicMetadata: { title: "Founder" },
      privateMetadata: { salaryBand: BACKEND_ONLY_MARKER },
    },
  ),
  membership(
    "orgmem_29HMMbrfPLlpvnOSrrymf8uZ4Ss",
    ACME_ID,
    GRACE,
    "org:billing_manager",
    Date.UTC(2024, 1, 3),
  ),
  membership(
    "orgmem_2bjCEB2WonCBBnkCylkdIJ0choG",
    ACME_ID,
    ALAN,
    "org:member",
    Date.UTC(2024, 1, 4),
  ),
  membership(
    "orgmem_2Zi6AUnSgz7VMK28gcMtkBrGoZx",
    GLOBEX_ID,
    GRACE,
    "org:admin",
    Date.UTC(2024, 1, 2),
  ),
  membership(
    "orgmem_2abho7GzgIvGW4dbUorYfuF9H9M",
    GLOBEX_ID,
    ADA,
    "org:member",
    Date.UTC(2024, 1, 5),
  ),
  ...Array.from({ length: HUT_COUNT }, (_, i) =>
    membership(
      `orgmem_2BletchleyParkHut${String(i + 1).padStart(2, "0")}x00`,
      hutId(i + 1),
      ALAN,
      i % 2 === 0 ? "org:admin" : "org:member",
      Date.UTC(2024, 2, i + 1, 12),
    ),
  ),
]);
