import type { ClerkTokens } from "../auth/clerk-responses.js";
import type { SessionUser } from "../auth/session-user.js";
import {
  type OrganizationState,
  parseOrganizationState,
} from "../organizations/organization-state.js";
import { isRecord } from "../utils/is-record.js";
import { stringOrNull } from "../utils/narrow.js";

/**
 * The KV copy of a session: only what a page view needs. Tokens never go here; they live at the
 * authority alone, so a copy of the KV namespace holds no credential.
 */
export interface SessionView {
  user: SessionUser;
  /** Epoch ms at which the sign-in ends. */
  expiresAt: number;
  /** The active organization and the user's role in it; absent when organizations are off. */
  organizations?: OrganizationState;
}

/**
 * Narrows a KV record back into a view. Anything else, such as a record written by an older version
 * of the app, reads as null: the authority is then asked instead.
 */
export function parseSessionView(value: unknown): SessionView | null {
  if (!isRecord(value) || typeof value.expiresAt !== "number") return null;
  const user = parseSessionUser(value.user);
  if (user === null) return null;
  const organizations = parseOrganizationState(value.organizations);
  return { user, expiresAt: value.expiresAt, ...(organizations && { organizations }) };
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

export /** A live session as the authority holds it. */
interface AuthoritySession {
  idHash: string;
  handle: string;
  user: SessionUser;
  tokens: ClerkTokens;
  createdAt: number;
  expiresAt: number;
  /**
   * Epoch ms of the last activity the authority recorded: the sign-in, then (with an idle timeout)
   * actions and token uses, at most once per tenth of the idle window. Views are not recorded:
   * the session cookie carries their idle clock.
   */
  lastActiveAt: number;
  device: string;
  place: string | null;
  /** The session's organizations; absent when they were off at its sign-in. */
  organizations?: OrganizationState;
}

/** What a view of a live session shows, from the authority's row (read-through, actions). */
export function viewOf(session: AuthoritySession): SessionView {
  const { user, expiresAt, organizations } = session;
  return { user, expiresAt, ...(organizations && { organizations }) };
}

/** Narrows a `sessions` row; null when it lacks what a session needs. */
export function parseSessionRow(row: Record<string, unknown>): AuthoritySession | null {
  const user = parseSessionUser(parseJson(row.user_json));
  if (user === null || typeof row.access_token !== "string") return null;
  return {
    idHash: String(row.id_hash),
    handle: String(row.handle),
    user,
    tokens: {
      accessToken: row.access_token,
      refreshToken: typeof row.refresh_token === "string" ? row.refresh_token : null,
      expiresAt: typeof row.access_expires_at === "number" ? row.access_expires_at : null,
      scope: String(row.scope ?? "")
        .split(" ")
        .filter(Boolean),
      idToken: typeof row.id_token === "string" ? row.id_token : null,
    },
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    // Rows written before the column existed count from their sign-in.
    lastActiveAt: Number(row.last_active_at ?? row.created_at),
    device: String(row.device ?? ""),
    place: typeof row.place === "string" ? row.place : null,
    ...organizationsOf(row),
  };
}

/** The organization snapshot of a session row (or a RETURNING clause), when it has one. */
export function organizationsOf(row: Record<string, unknown>): {
  organizations?: OrganizationState;
} {
  const organizations = parseOrganizationState(parseJson(row.org_json));
  return organizations ? { organizations } : {};
}

/** JSON text as stored in D1, or null when it is not. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
