/**
 * The organization a user picks on the consent screen: which ones they may pick, whether a pick
 * stands, and which organization a grant still names when its tokens are used.
 */
import type { EmulatorOrganization } from "./organization-types";
import type { EmulatorContext } from "./types";

/** Only with this scope does the consent screen offer organizations, and tokens carry one. */
export const ORG_SCOPE = "user:org:read";

/** The form field (and approve() option) naming the picked organization; empty picks none. */
export const ORG_FIELD = "org_id";

/** The user's organizations in name order, as the picker lists them. */
export function pickableOrganizations(context: EmulatorContext, userId: string) {
  return context.organizations
    .memberships({ userId })
    .flatMap((entry) => context.organizations.organization(entry.organizationId) ?? [])
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The organization a sign-in carries into its grant: none without the scope (a stray field is
 * ignored, as no picker was shown) or without a pick; an error when the user is not a member.
 */
export function pickedOrganization(
  context: EmulatorContext,
  scope: readonly string[],
  userId: string,
  orgId: string | null | undefined,
): { orgId: string | undefined } | { error: string } {
  if (!scope.includes(ORG_SCOPE) || !orgId) return { orgId: undefined };
  if (!context.organizations.membership(orgId, userId)) {
    return { error: "Pick one of your own organizations, or none." };
  }
  return { orgId };
}

/**
 * The grant's organization while its scope still includes `user:org:read` and the user is still
 * a member; a deleted organization or a removed member makes it none, so no org fields appear.
 */
export function grantedOrganization(
  context: EmulatorContext,
  grant: { scope: readonly string[]; userId: string; orgId?: string },
): EmulatorOrganization | undefined {
  if (grant.orgId === undefined || !grant.scope.includes(ORG_SCOPE)) return undefined;
  if (!context.organizations.membership(grant.orgId, grant.userId)) return undefined;
  return context.organizations.organization(grant.orgId);
}
