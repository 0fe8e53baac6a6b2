import { DEPENDENCY_FAILED_STATUS } from "../http/page-answer.js";
import { PRIVATE_NO_STORE } from "../http/private-cache.js";
import { errorName } from "../utils/request-facts.js";
import type { Auth } from "./auth.server.js";
import { AuthError } from "./auth-error.js";

/**
 * Claims Clerk's userinfo can carry that are for the backend alone: private metadata (with its own
 * scope) and unsafe metadata (with `public_metadata`). The browser only sees public fields.
 */
const BACKEND_ONLY_CLAIMS = new Set(["private_metadata", "unsafe_metadata"]);

function browserVisible(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(claims).filter(([key]) => !BACKEND_ONLY_CLAIMS.has(key)),
  );
}

/**
 * The signed-in user as Clerk sees them now, as JSON, fetched with `getToken()` (refreshed when
 * about to expire): 401 when signed out, and a failing dependency (Clerk, or the session database
 * while refreshing) answers 424 with the failure's code, never a 5xx.
 */
export async function userInfoResponse(auth: Auth): Promise<Response> {
  try {
    const profile = await auth.fetchUserInfo();
    if (profile === null) {
      return Response.json({ error: "signed_out" }, { status: 401, headers: PRIVATE_NO_STORE });
    }
    return Response.json({ userinfo: browserVisible(profile.raw) }, { headers: PRIVATE_NO_STORE });
  } catch (error) {
    const code = error instanceof AuthError ? error.code : "unavailable";
    if (error instanceof AuthError) console.warn(`Userinfo failed: ${code}`);
    else console.error(`Userinfo failed unexpectedly (${errorName(error)})`);
    return Response.json(
      { error: code },
      { status: DEPENDENCY_FAILED_STATUS, headers: PRIVATE_NO_STORE },
    );
  }
}
