import type { ClerkError } from "./http";
import { deepMerge, isPlainObject } from "./metadata-merge";
import type { EmulatorUser, Metadata } from "./types";
import type { UserStore } from "./user-store";

const NAME_PARAMS = ["first_name", "last_name"] as const;
const METADATA_PARAMS = ["public_metadata", "private_metadata", "unsafe_metadata"] as const;
const MAX_NAME_LENGTH = 256;
/** The first API version whose PATCH /v1/users/{id} refuses metadata (decision 007). */
const METADATA_FREE_PATCH_VERSION = "2026-05-12";
const USERNAME_CHARACTERS = /^[a-z0-9_-]+$/;

type Body = Record<string, unknown>;

function paramError(code: string, param: string, message: string, longMessage: string) {
  return { code, message, long_message: longMessage, meta: { param_name: param } };
}

function unknownParam(param: string, longMessage: string): ClerkError {
  return paramError("form_param_unknown", param, "is unknown", longMessage);
}

function formatInvalid(param: string, expected: string): ClerkError {
  return paramError(
    "form_param_format_invalid",
    param,
    "is invalid",
    `${param} must be ${expected}.`,
  );
}

function usernameErrors(value: string, userId: string, users: UserStore): ClerkError[] {
  if (value.length < 4 || value.length > 64) {
    const text = "Username must be between 4 and 64 characters long.";
    return [paramError("form_username_invalid_length", "username", text, text)];
  }
  if (!USERNAME_CHARACTERS.test(value)) {
    const text = "Username can only contain lowercase letters, numbers, '_' and '-'.";
    return [paramError("form_username_invalid_character", "username", text, text)];
  }
  const owner = users.findByUsername(value);
  if (owner && owner.id !== userId) {
    const text = "That username is taken. Please try another.";
    return [paramError("form_identifier_exists", "username", text, text)];
  }
  return [];
}

export function metadataAllowedOnPatch(apiVersion: string | null): boolean {
  return apiVersion !== null && apiVersion < METADATA_FREE_PATCH_VERSION;
}

/** Collects every problem at once, as Clerk lists all failing params in one ClerkErrors body. */
export function validateProfilePatch(
  body: Body,
  user: EmulatorUser,
  users: UserStore,
  allowMetadata: boolean,
): ClerkError[] {
  const errors: ClerkError[] = [];
  for (const [param, value] of Object.entries(body)) {
    if ((NAME_PARAMS as readonly string[]).includes(param) || param === "username") {
      if (value !== null && typeof value !== "string") {
        errors.push(formatInvalid(param, "a string or null"));
      } else if (param === "username" && typeof value === "string") {
        errors.push(...usernameErrors(value, user.id, users));
      } else if (typeof value === "string" && value.length > MAX_NAME_LENGTH) {
        const text = `${param} must be at most ${MAX_NAME_LENGTH} characters.`;
        errors.push(paramError("form_param_value_invalid", param, "is too long", text));
      }
    } else if ((METADATA_PARAMS as readonly string[]).includes(param)) {
      if (!allowMetadata) {
        errors.push(
          unknownParam(
            param,
            `${param} is not accepted here from API version ${METADATA_FREE_PATCH_VERSION}; ` +
              "use PATCH /v1/users/{user_id}/metadata.",
          ),
        );
      } else if (!isPlainObject(value)) {
        errors.push(formatInvalid(param, "an object"));
      }
    } else {
      errors.push(unknownParam(param, `${param} is not supported by the Clerk emulator.`));
    }
  }
  return errors;
}

/** Older API versions replace whole metadata objects on this endpoint rather than merging. */
export function applyProfilePatch(user: EmulatorUser, body: Body, now: number): void {
  if ("first_name" in body) user.firstName = body.first_name as string | null;
  if ("last_name" in body) user.lastName = body.last_name as string | null;
  if ("username" in body) user.username = body.username as string | null;
  if ("public_metadata" in body)
    user.publicMetadata = structuredClone(body.public_metadata as Metadata);
  if ("private_metadata" in body) {
    user.privateMetadata = structuredClone(body.private_metadata as Metadata);
  }
  if ("unsafe_metadata" in body)
    user.unsafeMetadata = structuredClone(body.unsafe_metadata as Metadata);
  touch(user, now);
}

export function validateMetadataPatch(body: Body): ClerkError[] {
  return Object.entries(body).flatMap(([param, value]) => {
    if (!(METADATA_PARAMS as readonly string[]).includes(param)) {
      return [unknownParam(param, `${param} is not a metadata field.`)];
    }
    return isPlainObject(value) ? [] : [formatInvalid(param, "an object")];
  });
}

export function applyMetadataPatch(user: EmulatorUser, body: Body, now: number): void {
  if (isPlainObject(body.public_metadata)) {
    user.publicMetadata = deepMerge(user.publicMetadata, body.public_metadata);
  }
  if (isPlainObject(body.private_metadata)) {
    user.privateMetadata = deepMerge(user.privateMetadata, body.private_metadata);
  }
  if (isPlainObject(body.unsafe_metadata)) {
    user.unsafeMetadata = deepMerge(user.unsafeMetadata, body.unsafe_metadata);
  }
  touch(user, now);
}

/** Strictly increasing, so a client can detect the edit even when the test clock stands still. */
function touch(user: EmulatorUser, now: number): void {
  user.updatedAt = Math.max(now, user.updatedAt + 1);
}
