import { isRecord } from "~/utils/is-record";

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

function optionalString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Narrows a userinfo body into a profile. The identity must be certain: Clerk sends the user id
 * as both `sub` and `user_id`; one of them must be a string, and when both are present they must
 * agree. Anything else returns null; display fields of the wrong type become null.
 */
export function parseClerkProfile(body: unknown): ClerkProfile | null {
  if (!isRecord(body)) return null;
  const sub = optionalString(body.sub);
  const userId = optionalString(body.user_id);
  const id = sub ?? userId;
  const conflicting =
    (body.sub !== undefined && sub === null) || (body.user_id !== undefined && userId === null);
  if (id === null || conflicting || (sub !== null && userId !== null && sub !== userId))
    return null;
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
