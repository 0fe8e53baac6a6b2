/** The names a person may change on /profile. */
export const PROFILE_FIELDS = ["firstName", "lastName"] as const;

export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * What to change at Clerk: a field that was not posted is absent and left alone at Clerk; a field
 * posted empty is null and clears the name there.
 */
export type ProfilePatch = Partial<Record<ProfileField, string | null>>;

/** Clerk caps name fields at 256 characters. */
export const NAME_MAX_LENGTH = 256;

const LABELS: Record<ProfileField, string> = { firstName: "First name", lastName: "Last name" };

/** C0 controls, DEL and C1 controls: they have no place in a name and break how it is shown. */
const CONTROL = /\p{Cc}/u;

/**
 * Whole Unicode classes rather than hand-picked ranges, so a character added to a class in a later
 * Unicode version is refused too: format characters (zero-width spaces and joiners, the soft hyphen,
 * direction marks, bidi embeddings, overrides and isolates, invisible operators, interlinear
 * annotation, tag characters, the byte-order mark), the line and paragraph separators, private-use
 * characters (which show as whatever a font puts there), and the Hangul fillers, letters by class
 * that draw nothing. A name holding them can show differently from what it is, in the header and
 * menu of every page.
 */
const INVISIBLE_OR_BIDI = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\u115f\u1160\u3164\uffa0]/u;

export type ParsedProfileForm =
  | { ok: true; patch: ProfilePatch }
  | { ok: false; fieldErrors: Partial<Record<ProfileField, string>> };

// Checked before trimming, which would silently drop a leading or trailing U+FEFF.
function checkName(value: string, trimmed: string, label: string): string | null {
  if (CONTROL.test(value)) return `${label} cannot contain control characters.`;
  if (INVISIBLE_OR_BIDI.test(value)) {
    return `${label} cannot contain invisible or text-direction characters.`;
  }
  if ([...trimmed].length > NAME_MAX_LENGTH) {
    return `${label} can be at most ${NAME_MAX_LENGTH} characters.`;
  }
  return null;
}

/**
 * Checks the submitted names before anything is sent to Clerk: each is NFC-normalised and trimmed,
 * at most NAME_MAX_LENGTH characters, and free of control and invisible or bidi format characters.
 */
export function parseProfileForm(form: FormData): ParsedProfileForm {
  const fieldErrors: Partial<Record<ProfileField, string>> = {};
  const patch: ProfilePatch = {};
  for (const field of PROFILE_FIELDS) {
    const value = form.get(field);
    if (value === null) continue;
    if (typeof value !== "string") {
      fieldErrors[field] = `${LABELS[field]} must be text.`;
      continue;
    }
    const normalized = value.normalize("NFC");
    const name = normalized.trim();
    const problem = checkName(normalized, name, LABELS[field]);
    if (problem === null) patch[field] = name === "" ? null : name;
    else fieldErrors[field] = problem;
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, patch };
}
