/**
 * The one status for "Clerk failed", on every route (decision 007): Clerk could not be used,
 * whatever the reason, a missing CLERK_SECRET_KEY included. 424 Failed Dependency, below 500
 * because this app itself is fine.
 */
export const CLERK_FAILED_STATUS = 424;

/** Codes this app raises itself; any other code is one of Clerk's, taken from `errors[0].code`. */
export type BackendApiErrorCode =
  | "missing_secret_key"
  | "network_error"
  | "timeout"
  | "unexpected_response";

/** One entry of Clerk's `errors` array, in camelCase. */
export interface ClerkErrorDetail {
  code: string;
  message: string;
  longMessage: string | null;
  paramName: string | null;
}

interface BackendApiErrorInit {
  status: number | null;
  // `string & {}` keeps editor completion for our own codes while still admitting Clerk's.
  code: BackendApiErrorCode | (string & {});
  errors?: ClerkErrorDetail[];
  traceId?: string | null;
}

/**
 * A failed Backend API call. The message is ours or Clerk's (with the secret key scrubbed out), and
 * no cause is kept: the SDK's own error can hold the request, and with it the Bearer key.
 */
export class BackendApiError extends Error {
  override readonly name = "BackendApiError";
  readonly status: number | null;
  readonly code: BackendApiErrorCode | (string & {});
  readonly errors: ClerkErrorDetail[];
  readonly traceId: string | null;

  constructor(message: string, init: BackendApiErrorInit) {
    super(message);
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.traceId = init.traceId ?? null;
  }
}

/**
 * Clerk's per-parameter messages keyed by `param_name` (such as `first_name`), for showing beside
 * form fields; the first message for a parameter wins. Anything but a `BackendApiError` gives `{}`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof BackendApiError)) return result;
  for (const detail of error.errors) {
    if (detail.paramName !== null && !Object.hasOwn(result, detail.paramName)) {
      result[detail.paramName] = detail.longMessage ?? detail.message;
    }
  }
  return result;
}
