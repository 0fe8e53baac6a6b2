import { fullNameOf } from "../auth/clerk-responses.js";
import { isRecord } from "../utils/is-record.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";

export interface ProfileEmail {
  address: string;
  verified: boolean;
  primary: boolean;
}

/**
 * What /profile shows, and all its loader sends: the page's data is serialised into the HTML and
 * `/profile.data`, so anything else of the Backend API user (private and unsafe metadata,
 * moderation flags) must never be part of this type.
 */
export interface ProfileView {
  id: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  username: string | null;
  imageUrl: string | null;
  emails: ProfileEmail[];
  /** `YYYY-MM-DD` (UTC), or null when Clerk sent no usable timestamp. */
  memberSince: string | null;
}

/** The largest distance from the epoch, in ms, that a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** A day from epoch milliseconds; null for anything a Date cannot hold, instead of throwing. */
export function formatDay(ms: unknown): string | null {
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return null;
  return new Date(ms).toISOString().split("T")[0] ?? null;
}

function emails(list: unknown, primaryId: string | null): ProfileEmail[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    if (!isRecord(entry)) return [];
    const address = nonEmptyStringOrNull(entry.email_address);
    if (address === null) return [];
    const id = nonEmptyStringOrNull(entry.id);
    const verification = entry.verification;
    return [
      {
        address,
        verified: isRecord(verification) && verification.status === "verified",
        primary: id !== null && id === primaryId,
      },
    ];
  });
}

/**
 * Reads a Backend API User object field by field, the way Clerk's spec allows it to look: optional
 * fields missing, no email address, timestamps beyond what a Date holds. Never throws; null only
 * when the answer has no user id at all.
 */
export function toProfileView(user: unknown): ProfileView | null {
  if (!isRecord(user)) return null;
  const id = nonEmptyStringOrNull(user.id);
  if (id === null) return null;
  const firstName = nonEmptyStringOrNull(user.first_name);
  const lastName = nonEmptyStringOrNull(user.last_name);
  return {
    id,
    firstName,
    lastName,
    fullName: fullNameOf(firstName, lastName),
    username: nonEmptyStringOrNull(user.username),
    imageUrl: nonEmptyStringOrNull(user.image_url),
    emails: emails(user.email_addresses, nonEmptyStringOrNull(user.primary_email_address_id)),
    memberSince: formatDay(user.created_at),
  };
}
