import { BackendApiError } from "../clerk/backend-api-error.js";
import type { BackendApi } from "../clerk/backend-api.server.js";
import { withDeadline } from "../utils/deadline.js";
import { errorName } from "../utils/request-facts.js";
import {
  type Membership,
  type OrganizationMember,
  parseMember,
  parseMembership,
} from "./clerk-membership.js";
import { isRecord } from "../utils/is-record.js";

/** Memberships per Backend API call; Clerk allows up to 500 and defaults to 10. */
export const MEMBERSHIP_PAGE_LIMIT = 100;
/** At most this many pages (the first 1,000 memberships), so a read is bounded. */
const MAX_PAGES = 10;
/** The whole read, every page, within this: a sign-in waits for it, so it stays short. */
export const MEMBERSHIP_READ_DEADLINE_MS = 5000;
/**
 * A failed read is tried again no sooner than this (or Clerk's `Retry-After`, when longer): at
 * most one read per user per window, far inside Clerk's 100 requests per 10 s on development
 * instances.
 */
export const MEMBERSHIP_RETRY_MS = 30_000;

/** What reading a user's memberships gave: all of them, or when to try again. */
export type MembershipRead =
  | { ok: true; memberships: Membership[] }
  | { ok: false; retryAt: number };

function pageOf(body: unknown): { data: unknown[]; totalCount: number } {
  if (!isRecord(body) || !Array.isArray(body.data) || typeof body.total_count !== "number") {
    throw new BackendApiError("Clerk's Backend API answered with an unexpected list.", {
      status: 200,
      code: "unexpected_response",
    });
  }
  return { data: body.data, totalCount: body.total_count };
}

/**
 * Every page of the user's memberships (`GET /v1/users/{id}/organization_memberships`), narrowed;
 * on any failure (Clerk refusing, 429, no answer, the deadline) a retry time instead, logged by
 * its kind. Never throws: a sign-in goes on without organizations.
 */
export async function readUserMemberships(
  api: BackendApi,
  userId: string,
  now: () => number = Date.now,
): Promise<MembershipRead> {
  try {
    const memberships = await withDeadline(
      "Clerk's organization memberships",
      MEMBERSHIP_READ_DEADLINE_MS,
      async () => {
        const all: Membership[] = [];
        for (let page = 0; page < MAX_PAGES; page++) {
          const offset = page * MEMBERSHIP_PAGE_LIMIT;
          const body = await api.listUserMemberships(userId, {
            limit: MEMBERSHIP_PAGE_LIMIT,
            offset,
          });
          const { data, totalCount } = pageOf(body);
          for (const entry of data) {
            const membership = parseMembership(entry);
            if (membership?.userId === userId) all.push(membership);
          }
          if (data.length === 0 || offset + data.length >= totalCount) break;
        }
        return all;
      },
    );
    return { ok: true, memberships };
  } catch (error) {
    const wait = error instanceof BackendApiError ? (error.retryAfterMs ?? 0) : 0;
    const status = error instanceof BackendApiError && error.status ? ` ${error.status}` : "";
    console.warn(`Reading organization memberships failed (${errorName(error)}${status})`);
    return { ok: false, retryAt: now() + Math.max(MEMBERSHIP_RETRY_MS, wait) };
  }
}

/** The members /org/members lists: the first page of the organization's memberships. */
export const MEMBERS_PAGE_LIMIT = 100;

/**
 * The organization's members (`GET /v1/organizations/{id}/memberships`), public fields only.
 * @throws {BackendApiError} when Clerk refuses or does not answer.
 */
export async function readOrganizationMembers(
  api: BackendApi,
  organizationId: string,
): Promise<{ members: OrganizationMember[]; totalCount: number }> {
  const body = await api.listOrganizationMemberships(organizationId, {
    limit: MEMBERS_PAGE_LIMIT,
    offset: 0,
  });
  const { data, totalCount } = pageOf(body);
  return { members: data.flatMap((entry) => parseMember(entry) ?? []), totalCount };
}
