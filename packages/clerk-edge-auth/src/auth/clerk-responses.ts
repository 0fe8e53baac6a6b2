import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";

/**
 * Every answer of Clerk's OAuth endpoints, narrowed from `unknown` field by field. What fails to
 * narrow is described by the field's name, never its value, so a problem is safe to log.
 */

/**
 * Tokens from Clerk's token endpoint, narrowed from RFC 6749 §5.1's response. Plain JSON, because
 * the session authority stores it as is.
 */
export interface ClerkTokens {
  accessToken: string;
  /** Null: this sign-in cannot refresh, and ends when the access token expires. */
  refreshToken: string | null;
  /** Epoch ms; null when Clerk did not say how long the access token lives. */
  expiresAt: number | null;
  scope: string[];
  idToken: string | null;
}

/** The signed-in person as Clerk's `/oauth/userinfo` describes them. */
export interface ClerkProfile {
  /** Clerk's user id (`user_…`): `sub` and `user_id`, which must agree when both are sent. */
  id: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  username: string | null;
  imageUrl: string | null;
  publicMetadata: Record<string, unknown>;
  /** The whole userinfo object, for fields this type does not name. */
  raw: Record<string, unknown>;
}

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

export type TokenResponseResult =
  | { ok: true; tokens: ClerkTokens }
  | { ok: false; problem: string };

export interface TokenResponseContext {
  /** Epoch ms when the response arrived; `expires_in` counts from here. */
  receivedAt: number;
  /** RFC 6749 §5.1: an omitted `scope` means the scope that was requested. */
  requestedScope: string[];
}

const INVALID = Symbol("invalid");

/** An optional token: absent or null is null, a non-empty string is itself, the rest is invalid. */
function optionalToken(value: unknown): string | null | typeof INVALID {
  if (value === undefined || value === null) return null;
  return typeof value === "string" && value !== "" ? value : INVALID;
}

/** Narrows a successful token endpoint body (RFC 6749 §5.1). */
export function parseTokenResponse(
  body: unknown,
  context: TokenResponseContext,
): TokenResponseResult {
  if (!isRecord(body)) return { ok: false, problem: "body is not a JSON object" };
  const { access_token, token_type, expires_in, scope, refresh_token, id_token } = body;
  if (typeof access_token !== "string" || access_token === "") {
    return { ok: false, problem: "access_token is missing" };
  }
  // §5.1 says token_type is case-insensitive; an older Clerk sample sends "bearer". An absent
  // token_type is read as Bearer (the only type Clerk issues); any other type is refused.
  if (
    token_type !== undefined &&
    (typeof token_type !== "string" || token_type.toLowerCase() !== "bearer")
  ) {
    return { ok: false, problem: "token_type is not Bearer" };
  }
  let expiresAt: number | null = null;
  if (expires_in !== undefined && expires_in !== null) {
    if (typeof expires_in !== "number" || !Number.isFinite(expires_in) || expires_in < 0) {
      return { ok: false, problem: "expires_in is not a non-negative number" };
    }
    expiresAt = context.receivedAt + expires_in * 1000;
  }
  if (scope !== undefined && scope !== null && typeof scope !== "string") {
    return { ok: false, problem: "scope is not a string" };
  }
  const refreshToken = optionalToken(refresh_token);
  const idToken = optionalToken(id_token);
  if (refreshToken === INVALID) return { ok: false, problem: "refresh_token is not a string" };
  if (idToken === INVALID) return { ok: false, problem: "id_token is not a string" };
  return {
    ok: true,
    tokens: {
      accessToken: access_token,
      refreshToken,
      expiresAt,
      scope: typeof scope === "string" ? scope.split(" ").filter(Boolean) : context.requestedScope,
      idToken,
    },
  };
}

/**
 * Narrows a userinfo body into a profile. The identity must be certain: Clerk sends the user id
 * as both `sub` and `user_id`; one of them must be a string, and when both are present they must
 * agree. Anything else returns null; display fields of the wrong type become null.
 */
export function parseClerkProfile(body: unknown): ClerkProfile | null {
  if (!isRecord(body)) return null;
  const sub = nonEmptyStringOrNull(body.sub);
  const userId = nonEmptyStringOrNull(body.user_id);
  const id = sub ?? userId;
  const conflicting =
    (body.sub !== undefined && sub === null) || (body.user_id !== undefined && userId === null);
  if (id === null || conflicting || (sub !== null && userId !== null && sub !== userId)) {
    return null;
  }
  const firstName = nonEmptyStringOrNull(body.given_name);
  const lastName = nonEmptyStringOrNull(body.family_name);
  return {
    id,
    email: nonEmptyStringOrNull(body.email),
    emailVerified: body.email_verified === true,
    firstName,
    lastName,
    fullName: fullNameOf(firstName, lastName, nonEmptyStringOrNull(body.name)),
    // Clerk deprecated `username` in favour of the OIDC claim but still sends both.
    username: nonEmptyStringOrNull(body.preferred_username) ?? nonEmptyStringOrNull(body.username),
    imageUrl: nonEmptyStringOrNull(body.picture),
    publicMetadata: isRecord(body.public_metadata) ? body.public_metadata : {},
    raw: body,
  };
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

/**
 * The one rule for a user's full name, wherever the parts come from (sign-in, a webhook, a profile
 * save): first and last name joined; Clerk's own `name` claim only when both parts are empty.
 */
export function fullNameOf(
  firstName: string | null,
  lastName: string | null,
  claimed: string | null = null,
): string | null {
  const joined = [firstName, lastName].filter((part) => part !== null && part !== "").join(" ");
  return joined === "" ? claimed : joined;
}
