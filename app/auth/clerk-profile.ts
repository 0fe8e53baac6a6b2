import { isRecord } from "~/utils/is-record";

/** The signed-in person as Clerk's `/oauth/userinfo` describes them. */
export interface ClerkProfile {
  /** Clerk's user id (`user_…`): `sub` and `user_id`, which must agree. */
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

function optionalString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Narrows a userinfo body into a profile. The identity must be certain (`sub` and `user_id`
 * present and equal), so anything else returns null; display fields of the wrong type become null.
 */
export function parseClerkProfile(body: unknown): ClerkProfile | null {
  if (!isRecord(body)) return null;
  const id = optionalString(body.sub);
  if (id === null || body.user_id !== id) return null;
  const firstName = optionalString(body.given_name);
  const lastName = optionalString(body.family_name);
  const joinedName = [firstName, lastName].filter((part) => part !== null).join(" ");
  return {
    id,
    email: optionalString(body.email),
    emailVerified: body.email_verified === true,
    firstName,
    lastName,
    fullName: optionalString(body.name) ?? optionalString(joinedName),
    // Clerk deprecated `username` in favour of the OIDC claim but still sends both.
    username: optionalString(body.preferred_username) ?? optionalString(body.username),
    imageUrl: optionalString(body.picture),
    publicMetadata: isRecord(body.public_metadata) ? body.public_metadata : {},
    raw: body,
  };
}
