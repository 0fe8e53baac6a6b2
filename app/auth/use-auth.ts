import { useRouteLoaderData, useSubmit } from "@remix-run/react";
import { useCallback } from "react";
import type { loader as rootLoader } from "~/root";
import type { SessionUser } from "./session-user";

/** The root loader's auth state; absent only while an error boundary renders without it. */
function useRootUser(): SessionUser | null {
  return useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
}

/**
 * The signed-in user, like Clerk's `useUser()`. Server-rendered from the session, so it is known
 * on the first paint: `isLoaded` is always true.
 */
export function useUser():
  | { isLoaded: true; isSignedIn: true; user: SessionUser }
  | { isLoaded: true; isSignedIn: false; user: null } {
  const user = useRootUser();
  return user
    ? { isLoaded: true, isSignedIn: true, user }
    : { isLoaded: true, isSignedIn: false, user: null };
}

/** Auth state and actions, like Clerk's `useAuth()`. Tokens stay on the server: there is no getToken here. */
export function useAuth() {
  const user = useRootUser();
  const submit = useSubmit();
  const signOut = useCallback(() => submit(null, { method: "post", action: "/logout" }), [submit]);
  return { isLoaded: true as const, isSignedIn: user !== null, userId: user?.id ?? null, signOut };
}
