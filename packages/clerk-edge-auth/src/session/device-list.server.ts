import type { Auth } from "../auth/auth.server.js";
import { DEVICE_LIST_INTENTS, type DeviceListResult, type DeviceListView } from "../browser.js";
import { DEPENDENCY_FAILED_STATUS, type Outcome } from "../http/page-answer.js";
import { errorName } from "../utils/request-facts.js";

/** Handles are 22 base64url characters; anything far longer is not one and is not looked up. */
const MAX_HANDLE_LENGTH = 64;
const UNAVAILABLE = "Your sessions cannot be read right now. Please try again in a moment.";
/** A sign-out whose outcome is unknown is never reported as done. */
const NOT_CONFIRMED =
  "Signing out could not be confirmed, so it may not have happened yet. We keep trying in the background; please check this list again in a moment.";

/**
 * Runs `work` against the session authority; when the database fails, answers `fallback` (a page
 * that says so, never a 5xx). Redirects (signed out) pass through.
 */
async function orUnavailable<T>(work: () => Promise<T>, fallback: () => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) throw error;
    console.error(`Device list: session database failed (${errorName(error)})`);
    return fallback();
  }
}

const result = (status: number, message: string): Outcome<DeviceListResult> => ({
  body: { ok: status < 400, message },
  status,
});

/**
 * The user's live sessions, read from the session authority on every visit.
 * @throws a redirect to sign in when signed out.
 */
export async function loadDeviceList(auth: Auth): Promise<Outcome<DeviceListView>> {
  await auth.requireUser();
  return orUnavailable<Outcome<DeviceListView>>(
    async () => ({ body: { sessions: await auth.listSessions(), error: null }, status: 200 }),
    () => ({ body: { sessions: [], error: UNAVAILABLE }, status: DEPENDENCY_FAILED_STATUS }),
  );
}

/**
 * Ends one other session by its public handle, or every other one. The caller's session is checked
 * at the authority first, so a browser that was signed out elsewhere is sent to sign in and
 * changes nothing. A handle that is not one of the caller's live sessions changes nothing either.
 * @throws a redirect to sign in when signed out.
 */
export function actOnDeviceList(auth: Auth, request: Request): Promise<Outcome<DeviceListResult>> {
  return orUnavailable(
    async () => {
      await auth.requireUser();
      const form = await request.formData().catch(() => null);
      const intent = form?.get("intent");
      if (intent === DEVICE_LIST_INTENTS.revokeOthers) {
        const ended = await auth.revokeOtherSessions();
        return result(200, `Signed out ${ended} other ${ended === 1 ? "session" : "sessions"}.`);
      }
      const handle = form?.get("session");
      if (
        intent !== DEVICE_LIST_INTENTS.revokeOne ||
        typeof handle !== "string" ||
        handle === "" ||
        handle.length > MAX_HANDLE_LENGTH
      ) {
        return result(400, "Choose a session to sign out.");
      }
      if (!(await auth.revokeSession(handle))) {
        return result(404, "That session has already ended, or it is not one of yours.");
      }
      return result(200, "Signed out that session.");
    },
    () => result(DEPENDENCY_FAILED_STATUS, NOT_CONFIRMED),
  );
}
