/**
 * Narrowers for fields read from JSON that may be absent. Two meanings, two names: an empty
 * string is "no value" for display text, but a value in its own right for stored data.
 */

/** A non-empty string, or null for anything else (absent, empty, another type). */
export function nonEmptyStringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Any string, the empty one included, or null for anything else. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
