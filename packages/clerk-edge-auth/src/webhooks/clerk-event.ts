import type { SessionUser } from "../auth/session-user.js";
import { fullNameOf } from "../auth/clerk-responses.js";
import {
  isOrganizationEventType,
  type OrganizationEvent,
  parseOrganizationEvent,
} from "../organizations/organization-event.js";
import { isRecord } from "../utils/is-record.js";

/** The Clerk events this app acts on; every other type is acknowledged and ignored. */
export type ClerkEvent =
  | { type: "user.deleted"; userId: string }
  | {
      type: "user.updated";
      userId: string;
      banned: boolean;
      locked: boolean;
      user: UserFields;
      /** Clerk's `updated_at` (epoch ms) of the user this event carries; null when absent. */
      updatedAt: number | null;
    }
  | { type: "organization"; name: string; event: OrganizationEvent }
  | { type: "ignored"; name: string };

/** The public fields of a Clerk user that sessions keep (never metadata other than public). */
export type UserFields = Omit<SessionUser, "id">;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The primary address, found by `primary_email_address_id` among `email_addresses`. */
function primaryEmail(data: Record<string, unknown>): { email: string | null; verified: boolean } {
  const primaryId = text(data.primary_email_address_id);
  const list = Array.isArray(data.email_addresses) ? data.email_addresses : [];
  const entry = list.find((item: unknown) => isRecord(item) && item.id === primaryId);
  if (primaryId === null || !isRecord(entry)) return { email: null, verified: false };
  const verification = entry.verification;
  return {
    email: text(entry.email_address),
    verified: isRecord(verification) && verification.status === "verified",
  };
}

/** Narrows a Backend API user object to what a session shows. */
function userFields(data: Record<string, unknown>): UserFields {
  const firstName = text(data.first_name);
  const lastName = text(data.last_name);
  const { email, verified } = primaryEmail(data);
  return {
    email,
    emailVerified: verified,
    firstName,
    lastName,
    fullName: fullNameOf(firstName, lastName),
    username: text(data.username),
    imageUrl: text(data.image_url),
    publicMetadata: isRecord(data.public_metadata) ? data.public_metadata : {},
  };
}

/**
 * Reads a verified delivery's body. Null when it is not a Clerk event (not JSON, no `type`, or a
 * user event without a user id): the caller refuses it with a 400 and does nothing.
 */
export function parseClerkEvent(body: string): ClerkEvent | null {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(event) || typeof event.type !== "string") return null;
  const { type, data } = event;
  if (isOrganizationEventType(type)) {
    const parsed = parseOrganizationEvent(type, data);
    return parsed && { type: "organization", name: type, event: parsed };
  }
  if (type !== "user.deleted" && type !== "user.updated") return { type: "ignored", name: type };
  const userId = isRecord(data) ? text(data.id) : null;
  if (!isRecord(data) || userId === null) return null;
  if (type === "user.deleted") return { type, userId };
  return {
    type,
    userId,
    banned: data.banned === true,
    locked: data.locked === true,
    user: userFields(data),
    updatedAt:
      typeof data.updated_at === "number" && Number.isFinite(data.updated_at)
        ? data.updated_at
        : null,
  };
}
