/**
 * Organization changes made as Clerk's dashboard would make them, each announced with the webhook
 * Clerk sends for it. Membership events carry the membership; a deletion carries it as it was.
 */
import { randomId } from "./http";
import {
  type MembershipJson,
  type OrganizationJson,
  type RoleJson,
  membershipJson,
  organizationJson,
  roleJson,
} from "./organization-json";
import { checkRolePermissions } from "./organization-store";
import type {
  EmulatorMembership,
  EmulatorOrganizationControls,
  EmulatorOrganizationPatch,
  NewMembership,
} from "./organization-types";
import type { EmulatorContext, WebhookDelivery } from "./types";
import { announce } from "./webhooks";

export type OrganizationEvent =
  | {
      type:
        | "organizationMembership.created"
        | "organizationMembership.updated"
        | "organizationMembership.deleted";
      data: MembershipJson;
    }
  | { type: "organization.updated"; data: OrganizationJson }
  | { type: "organization.deleted"; data: { object: "organization"; id: string; deleted: true } }
  | { type: "role.updated"; data: RoleJson };

type Announced = Promise<WebhookDelivery | null>;

/** Strictly increasing, so a client can detect the edit even when the test clock stands still. */
function touched(context: EmulatorContext, previous: number): number {
  return Math.max(context.settings.now(), previous + 1);
}

function existingOrganization(context: EmulatorContext, id: string) {
  const organization = context.organizations.organization(id);
  if (!organization) throw new Error(`No organization with id ${id}`);
  return organization;
}

function existingRole(context: EmulatorContext, key: string) {
  const role = context.organizations.role(key);
  if (!role) throw new Error(`No role ${key}`);
  return role;
}

function existingMembership(context: EmulatorContext, organizationId: string, userId: string) {
  const membership = context.organizations.membership(organizationId, userId);
  if (!membership) throw new Error(`${userId} is not a member of ${organizationId}`);
  return membership;
}

function announceMembership(
  context: EmulatorContext,
  type: "created" | "updated" | "deleted",
  membership: EmulatorMembership,
  organization = context.organizations.organization(membership.organizationId),
): Announced {
  const user = context.users.get(membership.userId);
  const data = membershipJson(membership, context.organizations, user, organization);
  return announce(context, { type: `organizationMembership.${type}`, data });
}

export function addMembership(context: EmulatorContext, input: NewMembership): Announced {
  existingOrganization(context, input.organizationId);
  existingRole(context, input.role);
  if (!context.users.get(input.userId)) throw new Error(`No user with id ${input.userId}`);
  if (context.organizations.membership(input.organizationId, input.userId)) {
    throw new Error(`${input.userId} is already a member of ${input.organizationId}`);
  }
  const now = context.settings.now();
  const membership: EmulatorMembership = {
    id: randomId("orgmem"),
    organizationId: input.organizationId,
    userId: input.userId,
    role: input.role,
    publicMetadata: structuredClone(input.publicMetadata ?? {}),
    privateMetadata: structuredClone(input.privateMetadata ?? {}),
    createdAt: now,
    updatedAt: now,
  };
  context.organizations.addMembership(membership);
  return announceMembership(context, "created", membership);
}

export function updateMembership(
  context: EmulatorContext,
  organizationId: string,
  userId: string,
  patch: { role: string },
): Announced {
  existingRole(context, patch.role);
  const membership = existingMembership(context, organizationId, userId);
  membership.role = patch.role;
  membership.updatedAt = touched(context, membership.updatedAt);
  return announceMembership(context, "updated", membership);
}

export function removeMembership(
  context: EmulatorContext,
  organizationId: string,
  userId: string,
): Announced {
  const membership = existingMembership(context, organizationId, userId);
  context.organizations.removeMembership(membership);
  return announceMembership(context, "deleted", membership);
}

export function updateOrganization(
  context: EmulatorContext,
  id: string,
  patch: EmulatorOrganizationPatch,
): Announced {
  const organization = existingOrganization(context, id);
  if (patch.name !== undefined) organization.name = patch.name;
  if (patch.slug !== undefined) organization.slug = patch.slug;
  if (patch.publicMetadata) organization.publicMetadata = structuredClone(patch.publicMetadata);
  if (patch.privateMetadata) organization.privateMetadata = structuredClone(patch.privateMetadata);
  organization.updatedAt = touched(context, organization.updatedAt);
  const data = organizationJson(organization, context.organizations.membersCount(id));
  return announce(context, { type: "organization.updated", data });
}

export function deleteOrganization(context: EmulatorContext, id: string): Announced {
  existingOrganization(context, id);
  context.organizations.deleteOrganization(id);
  return announce(context, {
    type: "organization.deleted",
    data: { object: "organization", id, deleted: true },
  });
}

export function updateRole(
  context: EmulatorContext,
  key: string,
  patch: { permissions: string[] },
): Announced {
  const role = existingRole(context, key);
  const permissions = [...new Set(patch.permissions)];
  checkRolePermissions({ ...role, permissions }, context.organizations.permissions());
  role.permissions = permissions;
  role.updatedAt = touched(context, role.updatedAt);
  return announce(context, { type: "role.updated", data: roleJson(role, context.organizations) });
}

/** The controls the emulator object exposes to tests; records come back as copies. */
export function organizationControls(context: EmulatorContext): EmulatorOrganizationControls {
  const store = context.organizations;
  return {
    listOrganizations: () => structuredClone(store.organizations()),
    listRoles: () => structuredClone(store.roles()),
    listMemberships: (filter) => structuredClone(store.memberships(filter)),
    addMembership: (input) => addMembership(context, input),
    updateMembership: (organizationId, userId, patch) =>
      updateMembership(context, organizationId, userId, patch),
    removeMembership: (organizationId, userId) => removeMembership(context, organizationId, userId),
    updateOrganization: (id, patch) => updateOrganization(context, id, patch),
    deleteOrganization: (id) => deleteOrganization(context, id),
    updateRole: (key, patch) => updateRole(context, key, patch),
  };
}
