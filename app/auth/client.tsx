import { useLocation, useRouteLoaderData, useSubmit } from "@remix-run/react";
import { type ReactNode, useCallback, useEffect } from "react";
import type { SessionUser } from "./session-user";

/**
 * The browser half of auth, shaped like Clerk's React SDK: hooks and components that read the
 * auth state the root loader puts on every page. Server-rendered from the session, so everything
 * is known on the first paint, and no token ever reaches the browser.
 */

/** What the root loader sends every page: the signed-in user's public fields, or null. */
export interface RootData {
  user: SessionUser | null;
}

/** The root loader's auth state; absent only while an error boundary renders without it. */
function useRootUser(): SessionUser | null {
  return useRouteLoaderData<RootData>("root")?.user ?? null;
}

/** The signed-in user, like Clerk's `useUser()`; `isLoaded` is always true. */
export function useUser():
  | { isLoaded: true; isSignedIn: true; user: SessionUser }
  | { isLoaded: true; isSignedIn: false; user: null } {
  const user = useRootUser();
  return user
    ? { isLoaded: true, isSignedIn: true, user }
    : { isLoaded: true, isSignedIn: false, user: null };
}

/** Auth state and sign-out, like Clerk's `useAuth()`. Tokens stay on the server: no getToken here. */
export function useAuth() {
  const user = useRootUser();
  const submit = useSubmit();
  const signOut = useCallback(() => submit(null, { method: "post", action: "/logout" }), [submit]);
  return { isLoaded: true as const, isSignedIn: user !== null, userId: user?.id ?? null, signOut };
}

export interface ShowProps {
  when: "signed-in" | "signed-out";
  /** Rendered instead of the children when `when` does not hold; nothing by default. */
  fallback?: ReactNode;
  children: ReactNode;
}

/** Renders its children only in the given auth state, like Clerk's `<Show>`. */
export function Show({ when, fallback = null, children }: ShowProps) {
  const { isSignedIn } = useUser();
  return isSignedIn === (when === "signed-in") ? children : fallback;
}

/** `<Show when="signed-in">`, under the name Clerk's older SDKs use. */
export function SignedIn({ children }: { children: ReactNode }) {
  return <Show when="signed-in">{children}</Show>;
}

/** `<Show when="signed-out">`, under the name Clerk's older SDKs use. */
export function SignedOut({ children }: { children: ReactNode }) {
  return <Show when="signed-out">{children}</Show>;
}

/** The sign-in URL that comes back to `path` afterwards. */
export function signInHref(path: string): string {
  return `/login?${new URLSearchParams({ redirectTo: path })}`;
}

/**
 * Sends a signed-out visitor to sign in and back here, like Clerk's `<RedirectToSignIn>`.
 * Loaders should prefer `requireUser`, which redirects before any HTML is sent.
 */
export function RedirectToSignIn() {
  const { isSignedIn } = useUser();
  const location = useLocation();
  useEffect(() => {
    // A full navigation: /login answers with a redirect to Clerk, which client routing cannot follow.
    if (!isSignedIn) window.location.assign(signInHref(location.pathname + location.search));
  }, [isSignedIn, location.pathname, location.search]);
  return null;
}
