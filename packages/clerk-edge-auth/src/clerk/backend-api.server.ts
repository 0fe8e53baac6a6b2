import { BackendApiError, backendApiErrorFromResponse } from "./backend-api-error.js";
import type { AppConfig } from "../config/config.server.js";
import { DeadlineError, withDeadline } from "../utils/deadline.js";

/** Covers the whole call, body included; well under the 15 s a person would wait. */
export const BACKEND_API_DEADLINE_MS = 8000;

/**
 * The Backend API version every call pins, in the `Clerk-API-Version` header, so the instance's
 * default version cannot change shapes under the app. From this version on,
 * `PATCH /v1/users/{id}` refuses metadata (which has its own `/metadata` endpoint).
 */
export const CLERK_API_VERSION = "2026-05-12";

/** Clerk user ids are `user_` and base62; nothing else reaches a URL path with the key. */
const USER_ID = /^user_[A-Za-z0-9]+$/;
const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/;

/** What `updateUser` changes: a field left out stays as it is at Clerk; null clears it. */
export interface UserNamePatch {
  firstName?: string | null;
  lastName?: string | null;
}

/**
 * The two Backend API calls the app makes (decision 007). Each resolves with Clerk's User object
 * as sent, unchecked (null when a 2xx body is not JSON): narrow it before use, as `toProfileView`
 * does. A 2xx means Clerk did what was asked, whatever its body looks like.
 */
export interface BackendApi {
  /**
   * `GET /v1/users/{id}`.
   * @throws {BackendApiError} on a refusal, no answer, the deadline, or an id that is not a user id.
   */
  getUser(userId: string): Promise<unknown>;
  /**
   * `PATCH /v1/users/{id}` with only the fields present in `patch`.
   * @throws {BackendApiError} as `getUser` does; Clerk's field refusals are in `errors`.
   */
  updateUser(userId: string, patch: UserNamePatch): Promise<unknown>;
  /**
   * One page of `GET /v1/users/{id}/organization_memberships`.
   * @throws {BackendApiError} as `getUser` does; a 429 carries Clerk's `Retry-After`.
   */
  listUserMemberships(userId: string, page: ListPage): Promise<unknown>;
  /**
   * One page of `GET /v1/organizations/{id}/memberships`.
   * @throws {BackendApiError} as `getUser` does, or for an id that is not an organization id.
   */
  listOrganizationMemberships(organizationId: string, page: ListPage): Promise<unknown>;
}

/** Clerk's list paging: `limit` 1 to 500, `offset` from 0. */
export interface ListPage {
  limit: number;
  offset: number;
}

export type ReadBackendApiResult =
  | { ok: true; api: BackendApi }
  | { ok: false; error: BackendApiError };

export interface BackendApiOptions {
  deadlineMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

function missingSecretKey(): BackendApiError {
  return new BackendApiError(
    "CLERK_SECRET_KEY is not set, so the Backend API features (the profile page) are off. Set it in .dev.vars locally, or with `wrangler pages secret put CLERK_SECRET_KEY` (Pages) / `wrangler secret put CLERK_SECRET_KEY -c wrangler.workers.toml` (Workers).",
    { status: null, code: "missing_secret_key" },
  );
}

/** Clerk's field names for the patch; only the keys given are sent, so PATCH leaves others be. */
function patchBody(patch: UserNamePatch): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  if (patch.firstName !== undefined) body.first_name = patch.firstName;
  if (patch.lastName !== undefined) body.last_name = patch.lastName;
  return body;
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMs(value: string | null): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toBackendApiError(error: unknown): BackendApiError {
  if (error instanceof DeadlineError) {
    return new BackendApiError(`Clerk's Backend API did not answer within ${error.ms} ms.`, {
      status: null,
      code: "timeout",
    });
  }
  // What fetch threw is the runtime's text; it is not kept, so nothing of the request leaks.
  return new BackendApiError("Could not reach Clerk's Backend API or read its answer.", {
    status: null,
    code: "network_error",
  });
}

function createBackendApi(
  secretKey: string,
  apiUrl: string,
  options: BackendApiOptions,
): BackendApi {
  const deadlineMs = options.deadlineMs ?? BACKEND_API_DEADLINE_MS;
  // Workers throw "Illegal invocation" when the global fetch is called with another `this`.
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  function checkedId(pattern: RegExp, id: string, what: string, code: string): string {
    if (pattern.test(id)) return id;
    throw new BackendApiError(`That is not a Clerk ${what} id.`, { status: null, code });
  }
  const userPath = (userId: string) =>
    `/v1/users/${checkedId(USER_ID, userId, "user", "invalid_user_id")}`;
  const organizationPath = (id: string) =>
    `/v1/organizations/${checkedId(ORGANIZATION_ID, id, "organization", "invalid_organization_id")}`;
  const paged = (path: string, { limit, offset }: ListPage) =>
    `${path}?${new URLSearchParams({ limit: String(limit), offset: String(offset) })}`;

  async function send(method: "GET" | "PATCH", path: string, body?: object): Promise<unknown> {
    const headers = new Headers({
      Authorization: `Bearer ${secretKey}`,
      "Clerk-API-Version": CLERK_API_VERSION,
      Accept: "application/json",
    });
    if (body !== undefined) headers.set("Content-Type", "application/json");
    const init: RequestInit = {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // A redirect would carry the Bearer key to wherever it points; Clerk's API never redirects.
      redirect: "manual",
    };
    let answer: { status: number; text: string; retryAfter: string | null };
    try {
      answer = await withDeadline("Clerk's Backend API", deadlineMs, async (signal) => {
        const response = await doFetch(`${apiUrl}${path}`, { ...init, signal });
        const retryAfter = response.headers.get("Retry-After");
        return { status: response.status, text: await response.text(), retryAfter };
      });
    } catch (error) {
      throw toBackendApiError(error);
    }
    if (answer.status >= 200 && answer.status < 300) return parseJsonOrNull(answer.text);
    // Clerk's text can reach a page beside a field; scrub the key in case a proxy echoes it.
    const scrubbed = answer.text.split(secretKey).join("[redacted]");
    const error = backendApiErrorFromResponse(answer.status, parseJsonOrNull(scrubbed));
    error.retryAfterMs = retryAfterMs(answer.retryAfter);
    throw error;
  }

  // Async, so an id refused before sending is a rejection like every other failure.
  return {
    getUser: async (userId) => send("GET", userPath(userId)),
    updateUser: async (userId, patch) => send("PATCH", userPath(userId), patchBody(patch)),
    listUserMemberships: async (userId, page) =>
      send("GET", paged(`${userPath(userId)}/organization_memberships`, page)),
    listOrganizationMemberships: async (organizationId, page) =>
      send("GET", paged(`${organizationPath(organizationId)}/memberships`, page)),
  };
}

/**
 * Builds the Backend API for one request's checked bindings, or says why it is off (no
 * CLERK_SECRET_KEY) so a page can explain it without calling anything.
 */
export function readBackendApi(
  backendApi: AppConfig["backendApi"],
  options: BackendApiOptions = {},
): ReadBackendApiResult {
  const { secretKey, apiUrl } = backendApi;
  if (secretKey === null || secretKey.trim() === "")
    return { ok: false, error: missingSecretKey() };
  return { ok: true, api: createBackendApi(secretKey, apiUrl, options) };
}
