import type { Metadata } from "./types";

export function isPlainObject(value: unknown): value is Metadata {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Clerk's metadata merge: objects merge recursively, `null` deletes a key, anything else replaces. */
export function deepMerge(target: Metadata, patch: Metadata): Metadata {
  const result: Metadata = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key];
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(current))
      result[key] = deepMerge(current, value);
    else result[key] = structuredClone(value);
  }
  return result;
}
