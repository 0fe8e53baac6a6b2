import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull, stringOrNull } from "../utils/narrow.js";

/** Codes this app raises itself; any other code is one of Clerk's, taken from `errors[0].code`. */
export type BackendApiErrorCode =
  | "missing_secret_key"
  | "invalid_user_id"
  | "invalid_organization_id"
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
 * no cause is kept: what `fetch` throws is the runtime's text, never checked for the Bearer key.
 */
export class BackendApiError extends Error {
  override readonly name = "BackendApiError";
  readonly status: number | null;
  readonly code: BackendApiErrorCode | (string & {});
  readonly errors: ClerkErrorDetail[];
  readonly traceId: string | null;
  /** How long Clerk asked the caller to wait (`Retry-After` on a 429), when it said. */
  retryAfterMs: number | null = null;

  constructor(message: string, init: BackendApiErrorInit) {
    super(message);
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.traceId = init.traceId ?? null;
  }
}

function parseErrorDetail(value: unknown): ClerkErrorDetail | null {
  if (!isRecord(value)) return null;
  const code = nonEmptyStringOrNull(value.code);
  const message = stringOrNull(value.message);
  if (code === null || message === null) return null;
  return {
    code,
    message,
    longMessage: nonEmptyStringOrNull(value.long_message),
    paramName: isRecord(value.meta) ? nonEmptyStringOrNull(value.meta.param_name) : null,
  };
}

/**
 * Maps a non-2xx Backend API answer onto a `BackendApiError`: Clerk's first error gives the code
 * and message; anything that is not Clerk's `{ errors: [...] }` shape is `unexpected_response`.
 * `json` is the parsed body (null when it was not JSON), read from text with the key scrubbed out.
 */
export function backendApiErrorFromResponse(status: number, json: unknown): BackendApiError {
  const entries = isRecord(json) && Array.isArray(json.errors) ? json.errors : [];
  const errors = entries.flatMap((entry: unknown) => parseErrorDetail(entry) ?? []);
  const traceId = isRecord(json) ? nonEmptyStringOrNull(json.clerk_trace_id) : null;
  const first = errors[0];
  if (first === undefined) {
    return new BackendApiError(`Clerk's Backend API answered with an unexpected HTTP ${status}.`, {
      status,
      code: "unexpected_response",
      traceId,
    });
  }
  return new BackendApiError(first.longMessage ?? first.message, {
    status,
    code: first.code,
    errors,
    traceId,
  });
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
