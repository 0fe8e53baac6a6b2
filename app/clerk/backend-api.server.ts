import { type ClerkClient, createClerkClient } from "@clerk/backend";
import { isClerkAPIResponseError } from "@clerk/backend/errors";
import { BackendApiError, type ClerkErrorDetail } from "~/clerk/backend-api-error";
import type { AppConfig } from "~/config/config.server";
import { DeadlineError, withDeadline } from "~/utils/deadline";

/** Covers the whole call, body included; well under the 15 s a person would wait. */
export const BACKEND_API_DEADLINE_MS = 8000;

/**
 * Clerk's Backend API SDK behind the promises the app makes about it: every call has a deadline,
 * and every failure is a `BackendApiError` whose message never holds the secret key.
 */
export interface BackendApi {
  /**
   * Runs `work` against Clerk's own client, the way Clerk's docs show it
   * (`(clerk) => clerk.users.getUser(id)`).
   * @throws {BackendApiError} on a refusal, an unreadable answer, no answer, or the deadline.
   */
  call<T>(work: (clerk: ClerkClient) => Promise<T>): Promise<T>;
}

export type ReadBackendApiResult =
  | { ok: true; api: BackendApi }
  | { ok: false; error: BackendApiError };

export interface BackendApiOptions {
  deadlineMs?: number;
}

function missingSecretKey(): BackendApiError {
  return new BackendApiError(
    "CLERK_SECRET_KEY is not set, so the Backend API features (the profile page) are off. Set it in .dev.vars locally, or with `wrangler pages secret put CLERK_SECRET_KEY` (Pages) / `wrangler secret put CLERK_SECRET_KEY -c wrangler.workers.toml` (Workers).",
    { status: null, code: "missing_secret_key" },
  );
}

function scrub(text: string, secretKey: string): string {
  return text.split(secretKey).join("[redacted]");
}

/** Maps whatever the SDK (or the deadline) threw onto one typed error with a safe message. */
export function toBackendApiError(error: unknown, secretKey: string): BackendApiError {
  if (error instanceof BackendApiError) return error;
  if (error instanceof DeadlineError) {
    return new BackendApiError(`Clerk's Backend API did not answer within ${error.ms} ms.`, {
      status: null,
      code: "timeout",
    });
  }
  if (!isClerkAPIResponseError(error)) {
    return new BackendApiError("The Backend API call failed before Clerk answered.", {
      status: null,
      code: "unexpected_response",
    });
  }
  const traceId = error.clerkTraceId || null;
  // The SDK reports a failed fetch and an unreadable body alike: no status, code unexpected_error.
  if (typeof error.status !== "number") {
    return new BackendApiError("Could not reach Clerk's Backend API or read its answer.", {
      status: null,
      code: "network_error",
      traceId,
    });
  }
  const errors: ClerkErrorDetail[] = error.errors.map((detail) => ({
    code: detail.code,
    message: scrub(detail.message, secretKey),
    longMessage: detail.longMessage ? scrub(detail.longMessage, secretKey) : null,
    paramName: detail.meta?.paramName ?? null,
  }));
  const first = errors[0];
  if (first === undefined) {
    return new BackendApiError(
      `Clerk's Backend API answered with an unexpected HTTP ${error.status}.`,
      { status: error.status, code: "unexpected_response", traceId },
    );
  }
  return new BackendApiError(first.longMessage ?? first.message, {
    status: error.status,
    code: first.code,
    errors,
    traceId,
  });
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
  const clerk = createClerkClient({ secretKey, apiUrl });
  const deadlineMs = options.deadlineMs ?? BACKEND_API_DEADLINE_MS;
  return {
    ok: true,
    api: {
      async call(work) {
        try {
          return await withDeadline("Clerk's Backend API", deadlineMs, () => work(clerk));
        } catch (error) {
          throw toBackendApiError(error, secretKey);
        }
      },
    },
  };
}
