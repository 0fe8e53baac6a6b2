/** The emulator's public types for organizations: records, seeds and the controls tests drive. */
import type { Metadata, WebhookDelivery } from "./types";

/** A permission in the instance's catalogue; `org:sys_*` keys are Clerk's system permissions. */
export interface EmulatorPermission {
  id: string;
  key: string;
  name: string;
  description: string;
  createdAt: number;
}

/** A role key such as `org:admin` and the permission keys it grants to everyone holding it. */
export interface EmulatorRole {
  id: string;
  key: string;
  name: string;
  description: string;
  permissions: string[];
  createdAt: number;
  updatedAt: number;
}

export interface EmulatorOrganization {
  id: string;
  name: string;
  slug: string;
  imageUrl: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface EmulatorMembership {
  id: string;
  organizationId: string;
  userId: string;
  /** A role key from the catalogue, e.g. `org:member`. */
  role: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  createdAt: number;
  updatedAt: number;
}

/** The organizations part of the emulator's options; every field defaults to the seed. */
export interface OrganizationOptions {
  /** Off imitates an instance without Organizations: `user:org:read` is an invalid scope. */
  organizationsEnabled?: boolean;
  permissions?: EmulatorPermission[];
  roles?: EmulatorRole[];
  organizations?: EmulatorOrganization[];
  /**
   * Each must name a known organization, user and role. Without this option, the seed
   * memberships of the users present are used.
   */
  memberships?: EmulatorMembership[];
}

export interface NewMembership {
  organizationId: string;
  userId: string;
  role: string;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
}

export interface EmulatorOrganizationPatch {
  name?: string;
  slug?: string;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
}

/**
 * Changes made as Clerk's dashboard would make them. Each resolves once its webhook was
 * delivered (null: no webhook target) and throws for an unknown id, user, role or permission.
 */
export interface EmulatorOrganizationControls {
  listOrganizations(): EmulatorOrganization[];
  listRoles(): EmulatorRole[];
  /** Newest first, as the Backend API lists them. */
  listMemberships(filter?: { userId?: string; organizationId?: string }): EmulatorMembership[];
  /** `organizationMembership.created`; throws when the user is already a member. */
  addMembership(membership: NewMembership): Promise<WebhookDelivery | null>;
  /** `organizationMembership.updated`. */
  updateMembership(
    organizationId: string,
    userId: string,
    patch: { role: string },
  ): Promise<WebhookDelivery | null>;
  /** `organizationMembership.deleted`. */
  removeMembership(organizationId: string, userId: string): Promise<WebhookDelivery | null>;
  /** `organization.updated`. */
  updateOrganization(id: string, patch: EmulatorOrganizationPatch): Promise<WebhookDelivery | null>;
  /** `organization.deleted`; its memberships go with it. */
  deleteOrganization(id: string): Promise<WebhookDelivery | null>;
  /** `role.updated`: the permissions of everyone holding the role change at once. */
  updateRole(key: string, patch: { permissions: string[] }): Promise<WebhookDelivery | null>;
}
