import { DEPENDENCY_FAILED_STATUS, type Outcome } from "../http/page-answer.js";
import { BackendApiError, fieldErrors } from "./backend-api-error.js";
import { readBackendApi } from "./backend-api.server.js";
import { type ProfileField, type ProfilePatch, parseProfileForm } from "./profile-form.js";
import { fullNameOf } from "../auth/clerk-responses.js";
import { type ProfileView, toProfileView } from "./profile-view.js";
import type { AppConfig } from "../config/config.server.js";
import { isRecord } from "../utils/is-record.js";
import { errorName } from "../utils/request-facts.js";

export type ProfileLoad =
  | { status: "ok"; profile: ProfileView }
  | { status: "unavailable"; message: string };

export type ProfileSave =
  | { ok: true }
  | { ok: false; fieldErrors: Partial<Record<ProfileField, string>>; formError: string | null };

/** The name fields kept in the session; only those that changed are passed. */
export interface SessionNamePatch {
  firstName?: string | null;
  lastName?: string | null;
  fullName?: string | null;
  username?: string | null;
}

export interface ProfileOwner {
  id: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  username: string | null;
}

export interface SessionUpdater {
  /**
   * Resolves whether or not the session took the change: the save at Clerk stands either way.
   * `updatedAt` is Clerk's time of the saved user, so a late webhook about an older state of it
   * changes nothing.
   */
  updateSessionUser(patch: SessionNamePatch, updatedAt: number | null): Promise<unknown>;
}

const CLERK_PARAM: Record<ProfileField, string> = {
  firstName: "first_name",
  lastName: "last_name",
};

/**
 * What a person reads when Clerk failed. Clerk's own text is shown only beside a form field (its
 * per-parameter messages say what to change); every other failure gets a sentence of ours, so no
 * provider internals reach the page. The missing-key message is ours and says how to set it.
 */
export function clerkFailureMessage(error: BackendApiError): string {
  if (error.code === "missing_secret_key") return error.message;
  if (error.code === "timeout") return "Clerk did not answer in time. Please try again.";
  if (error.code === "network_error") return "Could not reach Clerk. Please try again.";
  if (error.status === 404) return "Clerk has no record of this user.";
  return "Clerk could not complete the request. Please try again later.";
}

function logFailure(action: string, error: BackendApiError): void {
  const trace = error.traceId === null ? "" : `, trace ${error.traceId}`;
  console.warn(`Profile: ${action} at Clerk failed (${error.code}, HTTP ${error.status}${trace})`);
}

/** The signed-in user read fresh from Clerk's Backend API, as the page shows them. */
export async function loadProfile(
  backendApi: AppConfig["backendApi"],
  userId: string,
): Promise<Outcome<ProfileLoad>> {
  const backend = readBackendApi(backendApi);
  const unavailable = (error: BackendApiError): Outcome<ProfileLoad> => {
    logFailure("reading the user", error);
    return {
      body: { status: "unavailable", message: clerkFailureMessage(error) },
      status: DEPENDENCY_FAILED_STATUS,
    };
  };
  if (!backend.ok) return unavailable(backend.error);
  try {
    const profile = toProfileView(await backend.api.getUser(userId));
    if (profile !== null) return { body: { status: "ok", profile }, status: 200 };
    return unavailable(
      new BackendApiError("Clerk's answer held no user id.", {
        status: 200,
        code: "unexpected_response",
      }),
    );
  } catch (error) {
    if (error instanceof BackendApiError) return unavailable(error);
    throw error;
  }
}

function refuse(
  status: number,
  fields: Partial<Record<ProfileField, string>>,
  formError: string | null,
): Outcome<ProfileSave> {
  return { body: { ok: false, fieldErrors: fields, formError }, status };
}

/** Clerk's `updated_at` (epoch ms) of the user it answered with; null when it gave none. */
function updatedAtOf(saved: unknown): number | null {
  const value = isRecord(saved) ? saved.updated_at : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The session's name fields that differ after the save, preferring what Clerk answered. */
function changedNames(owner: ProfileOwner, patch: ProfilePatch, saved: unknown): SessionNamePatch {
  const view = toProfileView(saved);
  const pick = (field: ProfileField) =>
    view ? view[field] : field in patch ? (patch[field] ?? null) : owner[field];
  const firstName = pick("firstName");
  const lastName = pick("lastName");
  const next: Required<SessionNamePatch> = {
    firstName,
    lastName,
    fullName: fullNameOf(firstName, lastName, owner.fullName),
    username: view ? view.username : owner.username,
  };
  const changed = (Object.keys(next) as Array<keyof SessionNamePatch>).filter(
    (key) => next[key] !== owner[key],
  );
  return Object.fromEntries(changed.map((key) => [key, next[key]]));
}

/**
 * Saves the posted names (null: the body was not a form) at Clerk, only the fields present in the
 * form, then the session's copy. Once Clerk accepted the change (a 2xx, whatever its body) the
 * answer is "saved", even if the session copy cannot follow.
 */
export async function saveProfile(
  backendApi: AppConfig["backendApi"],
  owner: ProfileOwner,
  form: FormData | null,
  session: SessionUpdater,
): Promise<Outcome<ProfileSave>> {
  if (form === null) return refuse(400, {}, "The form could not be read. Please try again.");
  const parsed = parseProfileForm(form);
  if (!parsed.ok) return refuse(400, parsed.fieldErrors, null);
  const backend = readBackendApi(backendApi);
  if (!backend.ok) return refuse(DEPENDENCY_FAILED_STATUS, {}, clerkFailureMessage(backend.error));
  const { patch } = parsed;
  let saved: unknown;
  try {
    saved = await backend.api.updateUser(owner.id, patch);
  } catch (error) {
    if (!(error instanceof BackendApiError)) throw error;
    logFailure("saving the name", error);
    const clerkFields = fieldErrors(error);
    const mapped: Partial<Record<ProfileField, string>> = {};
    for (const field of Object.keys(CLERK_PARAM) as ProfileField[]) {
      const message = clerkFields[CLERK_PARAM[field]];
      if (message !== undefined) mapped[field] = message;
    }
    if (Object.keys(mapped).length > 0) return refuse(422, mapped, null);
    return refuse(DEPENDENCY_FAILED_STATUS, {}, clerkFailureMessage(error));
  }
  const names = changedNames(owner, patch, saved);
  if (Object.keys(names).length > 0) {
    try {
      await session.updateSessionUser(names, updatedAtOf(saved));
    } catch (error) {
      console.warn(
        `Profile: saved at Clerk, but the session's copy of the name did not follow (${errorName(error)})`,
      );
    }
  }
  return { body: { ok: true }, status: 200 };
}
