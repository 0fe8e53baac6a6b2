import type { ClerkTokens } from "~/auth/clerk-tokens";
import type { SessionUser } from "~/auth/session-user";
import { isRecord } from "~/utils/is-record";
import type { SessionData } from "./session-storage.server";

/**
 * Narrows a KV record back into session data. Anything else, such as a record written by an older
 * version of the app, reads as null, and the visitor is simply signed out.
 */
export function parseSessionRecord(value: unknown): SessionData | null {
  if (!isRecord(value)) return null;
  const user = parseUser(value.user);
  const tokens = parseTokens(value.tokens);
  if (user === null || tokens === null || typeof value.signedInAt !== "number") return null;
  return { user, tokens, signedInAt: value.signedInAt };
}

function parseUser(value: unknown): SessionUser | null {
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

function parseTokens(value: unknown): ClerkTokens | null {
  if (!isRecord(value) || typeof value.accessToken !== "string") return null;
  return {
    accessToken: value.accessToken,
    refreshToken: stringOrNull(value.refreshToken),
    expiresAt: typeof value.expiresAt === "number" ? value.expiresAt : null,
    scope: Array.isArray(value.scope)
      ? value.scope.filter((item): item is string => typeof item === "string")
      : [],
    idToken: stringOrNull(value.idToken),
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
