import { type ReactNode, useCallback, useEffect } from "react";
import type { SessionUser } from "../auth/session-user.js";
import { type RootData, signInHref } from "../browser.js";

/**
 * The browser half of auth, shaped like Clerk's React SDK: hooks and components that read the
 * auth state the root loader puts on every page. Server-rendered from the session, so everything
 * is known on the first paint, and no token ever reaches the browser. Remix and React Router
 * export the same three router hooks; each adapter binds its own.
 */

/** The router hooks the components need, as both frameworks export them. */
export interface RouterHooks {
  useRouteLoaderData(routeId: string): unknown;
  useLocation(): { pathname: string; search: string };
  useSubmit(): (target: null, options: { method: "post"; action: string }) => void | Promise<void>;
}

export interface ShowProps {
  when: "signed-in" | "signed-out";
  /** Rendered instead of the children when `when` does not hold; nothing by default. */
  fallback?: ReactNode;
  children: ReactNode;
}

/** The hooks and components, bound to one framework's router. */
export function createAuthComponents(router: RouterHooks) {
  /** The root loader's auth state; absent only while an error boundary renders without it. */
  function useRootUser(): SessionUser | null {
    const data = router.useRouteLoaderData("root") as RootData | undefined;
    return data?.user ?? null;
  }

  /** The signed-in user, like Clerk's `useUser()`; `isLoaded` is always true. */
  function useUser():
    | { isLoaded: true; isSignedIn: true; user: SessionUser }
    | { isLoaded: true; isSignedIn: false; user: null } {
    const user = useRootUser();
    return user
      ? { isLoaded: true, isSignedIn: true, user }
      : { isLoaded: true, isSignedIn: false, user: null };
  }

  /** Auth state and sign-out, like Clerk's `useAuth()`. Tokens stay on the server: no getToken here. */
  function useAuth() {
    const user = useRootUser();
    const submit = router.useSubmit();
    const signOut = useCallback(
      () => submit(null, { method: "post", action: "/logout" }),
      [submit],
    );
    return {
      isLoaded: true as const,
      isSignedIn: user !== null,
      userId: user?.id ?? null,
      signOut,
    };
  }

  /** Renders its children only in the given auth state, like Clerk's `<Show>`. */
  function Show({ when, fallback = null, children }: ShowProps) {
    const { isSignedIn } = useUser();
    return isSignedIn === (when === "signed-in") ? children : fallback;
  }

  /** `<Show when="signed-in">`, under the name Clerk's older SDKs use. */
  function SignedIn({ children }: { children: ReactNode }) {
    return <Show when="signed-in">{children}</Show>;
  }

  /** `<Show when="signed-out">`, under the name Clerk's older SDKs use. */
  function SignedOut({ children }: { children: ReactNode }) {
    return <Show when="signed-out">{children}</Show>;
  }

  /**
   * Sends a signed-out visitor to sign in and back here, like Clerk's `<RedirectToSignIn>`.
   * Loaders should prefer `requireUser`, which redirects before any HTML is sent.
   */
  function RedirectToSignIn() {
    const { isSignedIn } = useUser();
    const location = router.useLocation();
    useEffect(() => {
      // A full navigation: /login answers with a redirect to Clerk, which client routing cannot follow.
      if (!isSignedIn) window.location.assign(signInHref(location.pathname + location.search));
    }, [isSignedIn, location.pathname, location.search]);
    return null;
  }

  return { useUser, useAuth, Show, SignedIn, SignedOut, RedirectToSignIn };
}
