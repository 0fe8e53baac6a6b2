import type { Route } from "./+types/examples.auth-components";
import { getAuth } from "clerk-edge-auth/react-router";
import {
  RedirectToSignIn,
  Show,
  useAuth,
  useOrganization,
  useUser,
} from "clerk-edge-auth/react-router/react";
import { Form, useActionData } from "react-router";

export const meta: Route.MetaFunction = () => [{ title: "Auth hooks and components" }];

/**
 * An action only admins of the active organization may run: `protect` checks the role at the
 * session authority, so a demotion at Clerk counts at once; anyone else gets a 404.
 */
export async function action(args: Route.ActionArgs) {
  await getAuth(args).protect({ role: "org:admin" });
  return { message: "Done, as an admin." };
}

/**
 * The client-side half of the auth API at work: this page has no loader of its own and leaves
 * signed-out visitors to <RedirectToSignIn>, as a Clerk app would. Pages that must never render
 * for a signed-out visitor should call `requireUser` in their loader instead.
 */
export default function AuthComponentsExample() {
  const { userId, orgId, orgRole, signOut } = useAuth();
  const { user } = useUser();
  const { organization } = useOrganization();
  const result = useActionData<typeof action>();
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
        <dl className="facts">
          <dt>useAuth().orgId, orgRole</dt>
          <dd>
            <code data-testid="hook-org">{orgId ? `${orgId} (${orgRole})` : "none"}</code>
          </dd>
          <dt>useOrganization().organization.name</dt>
          <dd>{organization?.name ?? "none"}</dd>
        </dl>
        <Show
          when={{ role: "org:admin" }}
          fallback={<p data-testid="show-role">You are not an admin of the active organization.</p>}
        >
          <p data-testid="show-role">You are an admin of {organization?.name}.</p>
        </Show>
        <Show
          when={{ permission: "org:invoices:read" }}
          fallback={<p data-testid="show-permission">You may not read invoices here.</p>}
        >
          <p data-testid="show-permission">You may read invoices here.</p>
        </Show>
        <Show when={(check) => check({ role: "org:admin" }) || check({ role: "org:member" })}>
          <p data-testid="show-function">An admin or a member.</p>
        </Show>
        <Form method="post">
          <button type="submit" className="button button-secondary">
            Run an admin-only action
          </button>
          {result ? <p role="status">{result.message}</p> : null}
        </Form>
        <p>
          <button type="button" className="button button-secondary" onClick={signOut}>
            Sign out with useAuth().signOut()
          </button>
        </p>
      </Show>
    </section>
  );
}
