/** The names a person may change on /profile, as submitted by its form. */
export interface ProfileInput {
  firstName: string | null;
  lastName: string | null;
}

export type ProfileField = keyof ProfileInput;

/** Clerk caps name fields at 256 characters. */
export const NAME_MAX_LENGTH = 256;

/** Control characters (C0, DEL, C1) have no place in a name and break how it is shown. */
function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export type ParsedProfileForm =
  | { ok: true; input: ProfileInput }
  | { ok: false; fieldErrors: Partial<Record<ProfileField, string>> };

/**
 * Checks the submitted names before anything is sent to Clerk: each is optional (empty clears it),
 * trimmed, at most NAME_MAX_LENGTH characters and free of control characters.
 */
export function parseProfileForm(form: FormData): ParsedProfileForm {
  const fieldErrors: Partial<Record<ProfileField, string>> = {};
  const read = (field: ProfileField, label: string): string | null => {
    const value = form.get(field);
    if (value === null) return null;
    if (typeof value !== "string") {
      fieldErrors[field] = `${label} must be text.`;
      return null;
    }
    const trimmed = value.trim();
    if (trimmed.length > NAME_MAX_LENGTH) {
      fieldErrors[field] = `${label} can be at most ${NAME_MAX_LENGTH} characters.`;
    } else if (hasControlCharacter(trimmed)) {
      fieldErrors[field] = `${label} cannot contain control characters.`;
    }
    return trimmed === "" ? null : trimmed;
  };
  const input = {
    firstName: read("firstName", "First name"),
    lastName: read("lastName", "Last name"),
  };
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, input };
}
