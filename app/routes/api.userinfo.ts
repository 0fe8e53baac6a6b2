import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { AuthError, CLERK_FAILED_STATUS, PRIVATE_NO_STORE } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/remix";

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
 * The signed-in user as Clerk sees them now, fetched with `getToken()`: the example of calling a
 * Clerk-protected API from a loader, refreshing the access token when it is about to expire.
 */
export async function loader(args: LoaderFunctionArgs) {
  try {
    const profile = await getAuth(args).fetchUserInfo();
    if (profile === null) {
      return Response.json({ error: "signed_out" }, { status: 401, headers: PRIVATE_NO_STORE });
    }
    return Response.json({ userinfo: browserVisible(profile.raw) }, { headers: PRIVATE_NO_STORE });
  } catch (error) {
    // A dependency failed (Clerk, or the session database while refreshing), not this request:
    // the same status as every other Clerk failure (decision 007), never a 5xx.
    const code = error instanceof AuthError ? error.code : "unavailable";
    if (error instanceof AuthError) console.warn(`Userinfo failed: ${code}`);
    else console.error("Userinfo failed unexpectedly", error);
    return Response.json(
      { error: code },
      { status: CLERK_FAILED_STATUS, headers: PRIVATE_NO_STORE },
    );
  }
}
