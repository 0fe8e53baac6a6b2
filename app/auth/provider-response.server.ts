import { AuthError } from "~/auth/auth-error";
import { isRecord } from "~/utils/is-record";

/**
 * What went wrong at Clerk, for logs only: it travels as an AuthError's `cause` and may hold the
 * provider's own words, so it must never be shown to a person or put into a URL.
 */
export interface ProviderFailure {
  endpoint: "token" | "userinfo" | "revoke";
  status?: number;
  problem?: string;
  /** RFC 6749 §5.2 `error`, or the codes of Clerk's `{ errors: [...] }` body. */
  error?: string;
  errorDescription?: string;
}

/** Picks the RFC 6749 §5.2 error fields, or Clerk's FAPI error codes, out of an error body. */
export function describeErrorBody(
  body: unknown,
): Pick<ProviderFailure, "error" | "errorDescription"> {
  if (!isRecord(body)) return {};
  if (Array.isArray(body.errors)) {
    const codes = body.errors.flatMap((entry) =>
      isRecord(entry) && typeof entry.code === "string" ? [entry.code] : [],
    );
    return codes.length > 0 ? { error: codes.join(",") } : {};
  }
  return {
    ...(typeof body.error === "string" ? { error: body.error } : {}),
    ...(typeof body.error_description === "string"
      ? { errorDescription: body.error_description }
      : {}),
  };
}

export type JsonBody = { ok: true; value: unknown } | { ok: false };

/** Releases a body we will not read, so the connection can be reused (arctic does the same). */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // An errored stream has nothing left to release.
  }
}

/**
 * Reads a body as JSON; a body that arrives but is not JSON is `{ ok: false }`, which the caller
 * maps to its own code.
 * @throws {AuthError} `provider_unavailable` when the body breaks off mid-read (deadline, reset).
 */
export async function readJson(
  response: Response,
  endpoint: ProviderFailure["endpoint"],
): Promise<JsonBody> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new AuthError("provider_unavailable", { cause: { endpoint, error } });
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
