import { readBackendApi } from "../clerk/backend-api.server.js";
import type { AppConfig } from "../config/config.server.js";
import type { SessionStore } from "../session/session-store.server.js";
import { errorName } from "../utils/request-facts.js";
import { type Membership, ORGANIZATION_ID, type OrganizationMember } from "./clerk-membership.js";
import { readOrganizationMembers, readUserMemberships } from "./membership-read.server.js";
import { organizationAuthority, type StoredMemberships } from "./organization-authority.server.js";
import type { ActiveOrganization, OrganizationState } from "./organization-state.js";

/** What /org shows: the active organization, every membership, and whether they are known. */
export interface OrganizationsView {
  active: ActiveOrganization | null;
  memberships: Array<Pick<Membership, "orgId" | "orgName" | "orgSlug" | "role" | "roleName">>;
  known: boolean;
  /** Whether the active role may read the member list (/org/members). */
  canListMembers: boolean;
  /** Why the list could not be read (the session database failed), or null. */
  error: string | null;
}

/** What a switch gave, as the page shows it: a status and a sentence. */
export interface SwitchOutcome {
  ok: boolean;
  status: 200 | 400 | 404 | 424;
  message: string;
}

/** Who may read an organization's member list: either of Clerk's system permissions. */
export const MEMBER_LIST_PERMISSIONS = ["org:sys_memberships:read", "org:sys_memberships:manage"];

/** What /org/members gets: the members, or why not (no active organization, not allowed, Clerk). */
export type MembersOutcome =
  | {
      ok: true;
      organization: ActiveOrganization;
      members: OrganizationMember[];
      totalCount: number;
    }
  | { ok: false; status: 403 | 404 | 424; message: string };

/**
 * Organizations for one request: reading and storing a user's memberships, switching the active
 * organization, and the member list. Every change is made at the authority, then copied to KV.
 */
export function organizationService(config: AppConfig, store: SessionStore, now = Date.now) {
  const authority = organizationAuthority(config.sessionDb);

  /**
   * Reads every page of the user's memberships from Clerk and stores them, refreshing the copies
   * of the user's sessions; a failed read is noted with when to try again. Never throws: a sign-in
   * goes on without organizations, and the session says so.
   */
  async function syncMemberships(userId: string): Promise<void> {
    const api = readBackendApi(config.backendApi);
    if (!api.ok) return;
    const read = await readUserMemberships(api.api, userId, now);
    try {
      if (read.ok)
        await store.copyChanged(
          await authority.replaceMemberships(userId, read.memberships, now()),
        );
      else await authority.noteFailedRead(userId, read.retryAt);
    } catch (error) {
      console.error(`Storing organization memberships failed (${errorName(error)})`);
    }
  }

  return {
    syncMemberships,

    /**
     * The user's memberships and this session's active organization, from the authority. While they are unknown (Clerk failed at sign-in)
     * and the retry time has passed, they are read from Clerk again first: at most one read per
     * user per retry window, and never on an ordinary page view.
     */
    async list(userId: string, idHash: string): Promise<OrganizationsView> {
      let stored: StoredMemberships;
      try {
        stored = await authority.memberships(userId, idHash);
        if (stored.syncedAt === null && stored.retryAt <= now()) {
          await syncMemberships(userId);
          stored = await authority.memberships(userId, idHash);
        }
      } catch (error) {
        console.error(`Reading organization memberships failed (${errorName(error)})`);
        return {
          active: null,
          memberships: [],
          known: false,
          canListMembers: false,
          error: "Your organizations cannot be read right now. Please try again in a moment.",
        };
      }
      const active = stored.memberships.find((entry) => entry.orgId === stored.activeOrgId);
      return {
        active: active
          ? {
              id: active.orgId,
              name: active.orgName,
              slug: active.orgSlug,
              role: active.role,
              roleName: active.roleName,
              permissions: active.permissions,
            }
          : null,
        memberships: stored.memberships.map(({ orgId, orgName, orgSlug, role, roleName }) => ({
          orgId,
          orgName,
          orgSlug,
          role,
          roleName,
        })),
        known: stored.syncedAt !== null,
        canListMembers: MEMBER_LIST_PERMISSIONS.some((key) => active?.permissions.includes(key)),
        error: null,
      };
    },

    /**
     * Makes one of the user's own organizations active for this session, checked at the
     * authority; false (nothing changed) for any other or unknown id.
     */
    async switchTo(idHash: string, orgId: string): Promise<SwitchOutcome> {
      const refused: SwitchOutcome = {
        ok: false,
        status: 404,
        message: "That is not one of your organizations.",
      };
      if (!ORGANIZATION_ID.test(orgId)) return refused;
      let changed: Awaited<ReturnType<typeof authority.switchActive>>;
      try {
        changed = await authority.switchActive(idHash, orgId, now());
      } catch (error) {
        console.error(`Switching organization failed (${errorName(error)})`);
        return {
          ok: false,
          status: 424,
          message:
            "Switching could not be confirmed, so it may not have happened. Please try again.",
        };
      }
      if (changed === null) return refused;
      await store.copyChanged([changed]);
      return {
        ok: true,
        status: 200,
        message: `You now act in ${changed.organizations?.active?.name ?? "that organization"}.`,
      };
    },

    /**
     * The active organization's members from Clerk, for a member whose role grants reading them.
     * `state` must come from the authority, so a demotion is felt at once.
     */
    async members(state: OrganizationState | undefined): Promise<MembersOutcome> {
      const active = state?.active ?? null;
      if (active === null) {
        return { ok: false, status: 404, message: "No organization is active in this session." };
      }
      if (!MEMBER_LIST_PERMISSIONS.some((key) => active.permissions.includes(key))) {
        return {
          ok: false,
          status: 403,
          message: "Your role in this organization does not include reading its members.",
        };
      }
      const api = readBackendApi(config.backendApi);
      if (!api.ok) return { ok: false, status: 424, message: api.error.message };
      try {
        const { members, totalCount } = await readOrganizationMembers(api.api, active.id);
        return { ok: true, organization: active, members, totalCount };
      } catch (error) {
        console.warn(`Reading organization members failed (${errorName(error)})`);
        return {
          ok: false,
          status: 424,
          message: "The member list cannot be read from Clerk right now. Please try again.",
        };
      }
    },
  };
}

export type OrganizationService = ReturnType<typeof organizationService>;
