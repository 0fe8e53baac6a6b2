import { BackendApiError } from "~/clerk/backend-api-error";
import { isRecord } from "~/utils/is-record";

/** A Clerk user as the Backend API returns it, in camelCase and with the primary email resolved. */
export interface ClerkUser {
  id: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  hasImage: boolean;
  primaryEmailAddress: string | null;
  emailAddresses: Array<{ id: string; emailAddress: string; verified: boolean }>;
  publicMetadata: Record<string, unknown>;
  privateMetadata: Record<string, unknown>;
  unsafeMetadata: Record<string, unknown>;
  banned: boolean;
  locked: boolean;
  lastSignInAt: number | null;
  createdAt: number | null;
  updatedAt: number | null;
}

type JsonObject = Record<string, unknown>;

function invalid(field: string): BackendApiError {
  return new BackendApiError(
    `Clerk's Backend API returned a user with a missing or invalid ${field}.`,
    {
      status: null,
      code: "unexpected_response",
    },
  );
}

// Optional fields may be absent or null (older API versions, trimmed emulators), but a value of
// the wrong type means we are not talking to the API we think we are, so it is refused.
function optionalString(source: JsonObject, field: string): string | null {
  const value = source[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalid(field);
  return value;
}

function optionalNumber(source: JsonObject, field: string): number | null {
  const value = source[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field);
  return value;
}

function optionalBoolean(source: JsonObject, field: string): boolean {
  const value = source[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalid(field);
  return value;
}

function metadata(source: JsonObject, field: string): Record<string, unknown> {
  const value = source[field];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(field);
  return value;
}

function emailAddresses(source: JsonObject): ClerkUser["emailAddresses"] {
  const value = source.email_addresses;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid("email_addresses");
  return value.map((entry: unknown) => {
    if (!isRecord(entry)) throw invalid("email_addresses");
    const { id, email_address: emailAddress, verification } = entry;
    if (typeof id !== "string" || typeof emailAddress !== "string") {
      throw invalid("email_addresses");
    }
    const verified = isRecord(verification) && verification.status === "verified";
    return { id, emailAddress, verified };
  });
}

/**
 * Narrows a Backend API User object to a `ClerkUser`, field by field. Only `id` is required;
 * `object`, when sent, must be "user".
 * @throws {BackendApiError} code `unexpected_response` when `id` is missing or any field has the
 * wrong type.
 */
export function parseClerkUser(json: unknown): ClerkUser {
  if (!isRecord(json) || (json.object !== undefined && json.object !== "user")) {
    throw invalid("object");
  }
  const { id } = json;
  if (typeof id !== "string" || id === "") throw invalid("id");
  const addresses = emailAddresses(json);
  const primaryId = optionalString(json, "primary_email_address_id");
  return {
    id,
    username: optionalString(json, "username"),
    firstName: optionalString(json, "first_name"),
    lastName: optionalString(json, "last_name"),
    imageUrl: optionalString(json, "image_url"),
    hasImage: optionalBoolean(json, "has_image"),
    // Without a primary id (a trimmed response), the first address is the only sensible choice.
    primaryEmailAddress:
      (primaryId === null ? addresses[0] : addresses.find((address) => address.id === primaryId))
        ?.emailAddress ?? null,
    emailAddresses: addresses,
    publicMetadata: metadata(json, "public_metadata"),
    privateMetadata: metadata(json, "private_metadata"),
    unsafeMetadata: metadata(json, "unsafe_metadata"),
    banned: optionalBoolean(json, "banned"),
    locked: optionalBoolean(json, "locked"),
    lastSignInAt: optionalNumber(json, "last_sign_in_at"),
    createdAt: optionalNumber(json, "created_at"),
    updatedAt: optionalNumber(json, "updated_at"),
  };
}
