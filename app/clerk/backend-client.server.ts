import { BackendApiError, backendApiErrorFromResponse } from "~/clerk/backend-api-error";
import { type ClerkUser, parseClerkUser } from "~/clerk/clerk-user";
import { type AppConfig, DEFAULT_CLERK_API_URL } from "~/config/config.server";

/**
 * The Backend API version every request pins. 2026-05-12 is the spec CLERK.md documents; from it
 * on, `PATCH /v1/users/{id}` rejects metadata, which is why metadata only ever goes through
 * `/metadata`. Pinning it keeps Clerk's instance default from changing shapes under us.
 */
export const CLERK_API_VERSION = "2026-05-12";

const DEFAULT_TIMEOUT_MS = 8000;
const USER_ID = /^user_[A-Za-z0-9]+$/;

export interface BackendClientOptions {
  secretKey: string;
  /** Backend API origin, already checked by `readConfig`; default `https://api.clerk.com`. */
  apiUrl?: string;
  /** Sent as `Clerk-API-Version`; default `CLERK_API_VERSION`. */
  apiVersion?: string;
  fetch?: typeof fetch;
  /** Per call, covering the response body as well as the headers; default 8000. */
  timeoutMs?: number;
}

export interface UpdateUserParams {
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
}

export interface UpdateUserMetadataParams {
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  unsafeMetadata?: Record<string, unknown>;
}

export interface BackendClient {
  users: {
    getUser(userId: string): Promise<ClerkUser>;
    updateUser(userId: string, params: UpdateUserParams): Promise<ClerkUser>;
    updateUserMetadata(userId: string, params: UpdateUserMetadataParams): Promise<ClerkUser>;
  };
}

export type ReadBackendClientResult =
  | { ok: true; client: BackendClient }
  | { ok: false; error: BackendApiError };

function missingSecretKey(): BackendApiError {
  return new BackendApiError(
    "CLERK_SECRET_KEY is not set, so the Backend API features (the profile page) are off. Set it in .dev.vars locally, or with `wrangler pages secret put CLERK_SECRET_KEY` (Pages) / `wrangler secret put CLERK_SECRET_KEY -c wrangler.workers.toml` (Workers).",
    { status: null, code: "missing_secret_key" },
  );
}

// DOMException is not an Error subclass on every runtime, so the name is checked directly.
function isTimeout(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && "name" in error && error.name === "TimeoutError"
  );
}

function collectBody(
  entries: Array<[string, Record<string, unknown> | string | null | undefined]>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    // Only keys the caller gave are sent, so PATCH leaves the others alone; null still clears.
    if (value !== undefined) body[key] = value;
  }
  return body;
}

/**
 * Builds a Backend API client for one request's bindings; nothing is shared between requests.
 * @throws {BackendApiError} code `missing_secret_key` when `secretKey` is empty.
 */
export function createBackendClient(options: BackendClientOptions): BackendClient {
  const { secretKey } = options;
  if (secretKey.trim() === "") throw missingSecretKey();
  const origin = options.apiUrl ?? DEFAULT_CLERK_API_URL;
  const apiVersion = options.apiVersion ?? CLERK_API_VERSION;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Workers throw "Illegal invocation" when the global fetch is called with another `this`.
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(
    method: "GET" | "PATCH",
    userId: string,
    suffix: string,
    body?: Record<string, unknown>,
  ): Promise<ClerkUser> {
    if (!USER_ID.test(userId)) {
      throw new BackendApiError("That is not a Clerk user id.", {
        status: null,
        code: "invalid_user_id",
      });
    }
    const headers = new Headers({
      Authorization: `Bearer ${secretKey}`,
      "Clerk-API-Version": apiVersion,
      Accept: "application/json",
    });
    if (body !== undefined) headers.set("Content-Type", "application/json");
    const url = `${origin}/v1/users/${encodeURIComponent(userId)}${suffix}`;

    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect would carry the Bearer key to wherever it points; the API never redirects.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        throw new BackendApiError(`Clerk's Backend API did not answer within ${timeoutMs} ms.`, {
          status: null,
          code: "timeout",
          cause: error,
        });
      }
      throw new BackendApiError("Could not reach Clerk's Backend API.", {
        status: null,
        code: "network_error",
        cause: error,
      });
    }

    if (status < 200 || status >= 300) {
      // Error text is shown to people; scrub the key in case a proxy or emulator echoes it back.
      throw backendApiErrorFromResponse(status, text.split(secretKey).join("[redacted]"));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new BackendApiError(`Clerk's Backend API answered HTTP ${status} without JSON.`, {
        status,
        code: "unexpected_response",
        cause: error,
      });
    }
    return parseClerkUser(json);
  }

  return {
    users: {
      getUser: (userId) => send("GET", userId, ""),
      updateUser: (userId, params) =>
        send(
          "PATCH",
          userId,
          "",
          collectBody([
            ["first_name", params.firstName],
            ["last_name", params.lastName],
            ["username", params.username],
          ]),
        ),
      updateUserMetadata: (userId, params) =>
        send(
          "PATCH",
          userId,
          "/metadata",
          collectBody([
            ["public_metadata", params.publicMetadata],
            ["private_metadata", params.privateMetadata],
            ["unsafe_metadata", params.unsafeMetadata],
          ]),
        ),
    },
  };
}

/**
 * Builds the client from this request's checked bindings, or says why the Backend API is off
 * (no CLERK_SECRET_KEY) so the page can explain it without calling anything.
 */
export function readBackendClient(
  backendApi: AppConfig["backendApi"],
  options: Omit<BackendClientOptions, "secretKey" | "apiUrl"> = {},
): ReadBackendClientResult {
  if (backendApi.secretKey === null) return { ok: false, error: missingSecretKey() };
  return {
    ok: true,
    client: createBackendClient({ ...options, ...backendApi, secretKey: backendApi.secretKey }),
  };
}
