import type { Route } from "./+types/examples.auth-components";
import { RedirectToSignIn, Show, useAuth, useUser } from "clerk-edge-auth/react-router/react";

export const meta: Route.MetaFunction = () => [{ title: "Auth hooks and components" }];

/**
 * The client-side half of the auth API at work: this page has no loader of its own and leaves
 * signed-out visitors to <RedirectToSignIn>, as a Clerk app would. Pages that must never render
 * for a signed-out visitor should call `requireUser` in their loader instead.
 */
export default function AuthComponentsExample() {
  const { userId, signOut } = useAuth();
  const { user } = useUser();
  return (
    <section className="card" aria-labelledby="examples-title">
      <h1 id="examples-title">Auth hooks and components</h1>
      <p className="lead">
        <code>useAuth()</code>, <code>useUser()</code>, <code>&lt;Show&gt;</code> (with its older
        names <code>&lt;SignedIn&gt;</code> and <code>&lt;SignedOut&gt;</code>) and{" "}
        <code>&lt;RedirectToSignIn&gt;</code> read the auth state the root loader puts on every
        page. No Clerk script runs in the browser.
      </p>
      <Show
        when="signed-in"
        fallback={
          <>
            <p>You are signed out, so this page sends you to sign in and back.</p>
            <RedirectToSignIn />
          </>
        }
      >
        <dl className="facts">
          <dt>useAuth().userId</dt>
          <dd>
            <code data-testid="hook-user-id">{userId}</code>
          </dd>
          <dt>useUser().user.email</dt>
          <dd>{user?.email ?? "none"}</dd>
        </dl>
        <p>
          <button type="button" className="button button-secondary" onClick={signOut}>
            Sign out with useAuth().signOut()
          </button>
        </p>
      </Show>
    </section>
  );
}
