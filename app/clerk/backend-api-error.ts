/** Codes this app raises itself; any other code is one of Clerk's, taken from `errors[0].code`. */
export type BackendApiErrorCode =
  | "missing_secret_key"
  | "invalid_user_id"
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
  cause?: unknown;
}

/**
 * A failed Backend API call. The message is safe to show a person: it is either ours or Clerk's
 * `long_message`/`message`, and never carries the secret key or the Authorization header.
 */
export class BackendApiError extends Error {
  override readonly name = "BackendApiError";
  readonly status: number | null;
  readonly code: BackendApiErrorCode | (string & {});
  readonly errors: ClerkErrorDetail[];
  readonly traceId: string | null;

  constructor(message: string, init: BackendApiErrorInit) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.traceId = init.traceId ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseErrorDetail(value: unknown): ClerkErrorDetail | null {
  if (!isRecord(value)) return null;
  const { code, message, long_message: longMessage, meta } = value;
  if (typeof code !== "string" || typeof message !== "string") return null;
  const paramName = isRecord(meta) ? meta.param_name : undefined;
  return {
    code,
    message,
    longMessage: typeof longMessage === "string" ? longMessage : null,
    paramName: typeof paramName === "string" ? paramName : null,
  };
}

/**
 * Maps a non-2xx Backend API response onto a `BackendApiError`. `body` is the raw response text;
 * anything that is not Clerk's `{ errors: [...] }` shape becomes `unexpected_response`.
 */
export function backendApiErrorFromResponse(status: number, body: string): BackendApiError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const rawErrors = isRecord(json) && Array.isArray(json.errors) ? json.errors : [];
  const errors = rawErrors.flatMap((entry) => parseErrorDetail(entry) ?? []);
  const traceId =
    isRecord(json) && typeof json.clerk_trace_id === "string" ? json.clerk_trace_id : null;
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
