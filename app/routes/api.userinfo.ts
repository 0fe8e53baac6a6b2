import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { userInfoResponse } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/remix";

/**
 * The signed-in user as Clerk sees them now, fetched with `getToken()`: the example of calling a
 * Clerk-protected API from a loader, refreshing the access token when it is about to expire.
 */
export async function loader(args: LoaderFunctionArgs) {
  return userInfoResponse(getAuth(args));
}
