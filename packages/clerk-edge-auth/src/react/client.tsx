import { type ReactNode, useCallback, useEffect } from "react";
import type { SessionUser } from "../auth/session-user.js";
import { type RootData, signInHref } from "../browser.js";
import { type Has, type HasCheck, hasFor, orgFields } from "../organizations/has.js";
import type { OrganizationState } from "../organizations/organization-state.js";

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
  /**
   * An auth state, a role or permission of the active organization (`{ role: "org:admin" }`,
   * `{ permission: "org:invoices:read" }`), or a function of `has`, as Clerk's `<Show>` takes it.
   */
  when: "signed-in" | "signed-out" | HasCheck | ((has: Has) => boolean);
  /** Rendered instead of the children when `when` does not hold; nothing by default. */
  fallback?: ReactNode;
  children: ReactNode;
}

/** The hooks and components, bound to one framework's router. */
export function createAuthComponents(router: RouterHooks) {
  /** The root loader's auth state; absent only while an error boundary renders without it. */
  function useRootData(): RootData | undefined {
    return router.useRouteLoaderData("root") as RootData | undefined;
  }

  function useRootUser(): SessionUser | null {
    return useRootData()?.user ?? null;
  }

  function useOrganizationState(): OrganizationState | null {
    return useRootData()?.organizations ?? null;
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
    const organizations = useOrganizationState();
    const submit = router.useSubmit();
    const signOut = useCallback(
      () => submit(null, { method: "post", action: "/logout" }),
      [submit],
    );
    return {
      isLoaded: true as const,
      isSignedIn: user !== null,
      userId: user?.id ?? null,
      ...orgFields(organizations),
      /** The active organization's role or permission, as the page's session copy holds it. */
      has: hasFor(organizations),
      signOut,
    };
  }

  /**
   * The active organization and the user's membership in it, like Clerk's `useOrganization()`;
   * both null with no active organization (or organizations off).
   */
  function useOrganization() {
    const active = useOrganizationState()?.active ?? null;
    return {
      isLoaded: true as const,
      organization: active && { id: active.id, name: active.name, slug: active.slug },
      membership: active && {
        role: active.role,
        roleName: active.roleName,
        permissions: active.permissions,
      },
    };
  }

  /** Whether organizations are on for this app (the `user:org:read` scope and a secret key). */
  function useOrganizationsEnabled(): boolean {
    return useRootData()?.organizations !== undefined;
  }

  /** Renders its children only when `when` holds, like Clerk's `<Show>`; else `fallback`. */
  function Show({ when, fallback = null, children }: ShowProps) {
    const { isSignedIn } = useUser();
    const { has } = useAuth();
    let shown: boolean;
    if (when === "signed-in" || when === "signed-out")
      shown = isSignedIn === (when === "signed-in");
    else if (typeof when === "function") shown = isSignedIn && when(has);
    else shown = has(when);
    return shown ? children : fallback;
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

  return {
    useUser,
    useAuth,
    useOrganization,
    useOrganizationsEnabled,
    Show,
    SignedIn,
    SignedOut,
    RedirectToSignIn,
  };
}
