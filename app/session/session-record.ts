import type { SessionUser } from "~/auth/session-user";
import { isRecord } from "~/utils/is-record";
import { stringOrNull } from "~/utils/narrow";

/**
 * The KV copy of a session: only what a page view needs. Tokens never go here; they live at the
 * authority alone, so a copy of the KV namespace holds no credential.
 */
export interface SessionView {
  user: SessionUser;
  /** Epoch ms at which the sign-in ends. */
  expiresAt: number;
}

/**
 * Narrows a KV record back into a view. Anything else, such as a record written by an older version
 * of the app, reads as null: the authority is then asked instead.
 */
export function parseSessionView(value: unknown): SessionView | null {
  if (!isRecord(value) || typeof value.expiresAt !== "number") return null;
  const user = parseSessionUser(value.user);
  return user === null ? null : { user, expiresAt: value.expiresAt };
}

/** The public user fields as stored in either store; null when the id is missing. */
export function parseSessionUser(value: unknown): SessionUser | null {
  if (!isRecord(value) || typeof value.id !== "string" || value.id === "") return null;
  return {
    id: value.id,
    email: stringOrNull(value.email),
    emailVerified: value.emailVerified === true,
    firstName: stringOrNull(value.firstName),
    lastName: stringOrNull(value.lastName),
    fullName: stringOrNull(value.fullName),
    username: stringOrNull(value.username),
    imageUrl: stringOrNull(value.imageUrl),
    publicMetadata: isRecord(value.publicMetadata) ? value.publicMetadata : {},
  };
}
