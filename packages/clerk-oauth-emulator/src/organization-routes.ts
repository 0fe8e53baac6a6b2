/**
 * The Backend API's organization reads: a user's memberships, an organization's members, one
 * organization, and the role and permission catalogue; all paginated as Clerk paginates lists.
 */
import { clerkError, jsonResponse, notFound } from "./http";
import { membershipJson, organizationJson, permissionJson, roleJson } from "./organization-json";
import type { EmulatorContext } from "./types";

const USER_MEMBERSHIPS = /^\/v1\/users\/([^/]+)\/organization_memberships$/;
const ORGANIZATION = /^\/v1\/organizations\/([^/]+)(\/memberships)?$/;
const CATALOGUE = /^\/v1\/organization_(roles|permissions)$/;

export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 500;

/** The paths answered here, which the `organizations` fault also covers. */
export function isOrganizationPath(path: string): boolean {
  return [USER_MEMBERSHIPS, ORGANIZATION, CATALOGUE].some((pattern) => pattern.test(path));
}

function invalidParam(param: string, longMessage: string): Response {
  return clerkError(422, "form_param_value_invalid", "is invalid", longMessage, {
    param_name: param,
  });
}

function integerParam(url: URL, name: string, fallback: number, min: number, max: number) {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return invalidParam(name, `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** `{ data, total_count }` for one page of `items`, or the 422 a bad limit or offset earns. */
function page<T>(url: URL, items: readonly T[], toJson: (item: T) => unknown): Response {
  const limit = integerParam(url, "limit", DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT);
  if (limit instanceof Response) return limit;
  const offset = integerParam(url, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  if (offset instanceof Response) return offset;
  const data = items.slice(offset, offset + limit).map(toJson);
  return jsonResponse(200, { data, total_count: items.length });
}

function missing(kind: string, id: string): Response {
  return clerkError(404, "resource_not_found", "not found", `No ${kind} was found with id ${id}.`);
}

/** Answers an authenticated request to an organization path; see isOrganizationPath. */
export function handleOrganizationApi(context: EmulatorContext, request: Request, url: URL) {
  if (request.method !== "GET") {
    const response = clerkError(405, "method_not_allowed", "method not allowed", "Not supported.");
    response.headers.set("allow", "GET");
    return response;
  }
  const store = context.organizations;
  if (!store.enabled) {
    return clerkError(
      403,
      "organization_not_enabled_in_instance",
      "Organizations are not enabled",
      "The organizations feature is not enabled for this instance.",
    );
  }
  const membership = (entry: Parameters<typeof membershipJson>[0]) =>
    membershipJson(entry, store, context.users.get(entry.userId));

  const userId = USER_MEMBERSHIPS.exec(url.pathname)?.[1];
  if (userId !== undefined) {
    if (!context.users.get(userId)) return missing("user", userId);
    return page(url, store.memberships({ userId }), membership);
  }

  const catalogue = CATALOGUE.exec(url.pathname)?.[1];
  if (catalogue === "roles") return page(url, store.roles(), (role) => roleJson(role, store));
  if (catalogue === "permissions") return page(url, store.permissions(), permissionJson);

  const match = ORGANIZATION.exec(url.pathname);
  const organizationId = match?.[1];
  if (organizationId === undefined) return notFound(url.pathname);
  const organization = store.organization(organizationId);
  if (!organization) return missing("organization", organizationId);
  if (match?.[2] === undefined) {
    return jsonResponse(200, organizationJson(organization, store.membersCount(organizationId)));
  }
  // Repeated `user_id` and `role` parameters each widen their filter, as Clerk's list does.
  const users = url.searchParams.getAll("user_id");
  const roles = url.searchParams.getAll("role");
  const members = store
    .memberships({ organizationId })
    .filter(
      (entry) =>
        (users.length === 0 || users.includes(entry.userId)) &&
        (roles.length === 0 || roles.includes(entry.role)),
    );
  return page(url, members, membership);
}
