import { useLocation } from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { useUser } from "~/auth/use-auth";

/** Renders its children only for a signed-in visitor, like Clerk's `<SignedIn>`. */
export function SignedIn({ children }: { children: ReactNode }) {
  return useUser().isSignedIn ? children : null;
}

/** Renders its children only for a signed-out visitor, like Clerk's `<SignedOut>`. */
export function SignedOut({ children }: { children: ReactNode }) {
  return useUser().isSignedIn ? null : children;
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
