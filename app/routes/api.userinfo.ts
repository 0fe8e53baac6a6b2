import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getAuth } from "~/auth/auth.server";
import { AuthError } from "~/auth/auth-error";

const PRIVATE = { "Cache-Control": "private, no-store" };

/**
 * The signed-in user as Clerk sees them now, fetched with `getToken()`: the example of calling a
 * Clerk-protected API from a loader, refreshing the access token when it is about to expire.
 */
export async function loader(args: LoaderFunctionArgs) {
  try {
    const profile = await getAuth(args).fetchUserInfo();
    if (profile === null) {
      return Response.json({ error: "signed_out" }, { status: 401, headers: PRIVATE });
    }
    return Response.json({ userinfo: profile.raw }, { headers: PRIVATE });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    console.error(`Userinfo failed: ${error.code}`);
    // 424 Failed Dependency: Clerk failed, not this app, and CONTRACT.md allows no 5xx here.
    return Response.json({ error: error.code }, { status: 424, headers: PRIVATE });
  }
}
