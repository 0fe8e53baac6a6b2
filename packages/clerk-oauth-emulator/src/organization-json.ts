/** Clerk's Backend API shapes for organizations, memberships, roles and permissions (ms timestamps). */
import type {
  EmulatorMembership,
  EmulatorOrganization,
  EmulatorPermission,
  EmulatorRole,
} from "./organization-types";
import type { OrganizationStore } from "./organization-store";
import type { EmulatorUser } from "./types";
import { primaryEmail } from "./user-store";

export function organizationJson(organization: EmulatorOrganization, membersCount: number) {
  return {
    object: "organization",
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    image_url: organization.imageUrl,
    // Clerk reports false for its generated logos, which the initials images stand in for.
    has_image: false,
    members_count: membersCount,
    pending_invitations_count: 0,
    max_allowed_memberships: 0,
    admin_delete_enabled: true,
    public_metadata: organization.publicMetadata,
    private_metadata: organization.privateMetadata,
    created_by: organization.createdBy,
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
  };
}

export function permissionJson(permission: EmulatorPermission) {
  return {
    object: "permission",
    id: permission.id,
    name: permission.name,
    key: permission.key,
    description: permission.description,
    type: permission.key.startsWith("org:sys_") ? "system" : "user",
    created_at: permission.createdAt,
    updated_at: permission.createdAt,
  };
}

export function roleJson(role: EmulatorRole, store: OrganizationStore) {
  const catalogue = store.permissions();
  return {
    object: "role",
    id: role.id,
    name: role.name,
    key: role.key,
    description: role.description,
    is_creator_eligible: role.key === "org:admin",
    permissions: role.permissions.flatMap((key) => {
      const found = catalogue.find((entry) => entry.key === key);
      return found ? [permissionJson(found)] : [];
    }),
    created_at: role.createdAt,
    updated_at: role.updatedAt,
  };
}

/** The identifier Clerk shows for a member: the primary email, else the username. */
function publicUserData(user: EmulatorUser | undefined, userId: string) {
  return {
    user_id: userId,
    first_name: user?.firstName ?? null,
    last_name: user?.lastName ?? null,
    image_url: user?.imageUrl ?? "",
    has_image: false,
    identifier: (user && primaryEmail(user)?.emailAddress) ?? user?.username ?? "",
    username: user?.username ?? null,
  };
}

/**
 * Clerk's OrganizationMembership, with the organization nested whole: private metadata included,
 * as the Backend API sends it to a holder of the secret key.
 */
export function membershipJson(
  membership: EmulatorMembership,
  store: OrganizationStore,
  user: EmulatorUser | undefined,
  organization = store.organization(membership.organizationId),
) {
  const role = store.role(membership.role);
  return {
    object: "organization_membership",
    id: membership.id,
    role: membership.role,
    role_name: role?.name ?? membership.role,
    permissions: [...(role?.permissions ?? [])],
    public_metadata: membership.publicMetadata,
    private_metadata: membership.privateMetadata,
    organization:
      organization && organizationJson(organization, store.membersCount(membership.organizationId)),
    public_user_data: publicUserData(user, membership.userId),
    created_at: membership.createdAt,
    updated_at: membership.updatedAt,
  };
}

export type MembershipJson = ReturnType<typeof membershipJson>;
export type OrganizationJson = ReturnType<typeof organizationJson>;
export type RoleJson = ReturnType<typeof roleJson>;
