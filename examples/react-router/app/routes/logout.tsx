import type { Route } from "./+types/logout";
import { Form, redirect } from "react-router";
import { isIncompleteSignOut, privateNoStoreHeaders } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/react-router";

export const meta: Route.MetaFunction = () => [{ title: "Sign-out did not complete" }];

export const headers = privateNoStoreHeaders;

export async function action(args: Route.ActionArgs) {
  return getAuth(args).logout();
}

/** Only the page a sign-out that could not be confirmed leads to; anything else goes home. */
export async function loader({ request }: Route.LoaderArgs) {
  if (!isIncompleteSignOut(request)) throw redirect("/");
  return null;
}

export default function SignOutIncomplete() {
  return (
    <section className="card" aria-labelledby="signout-title">
      <h1 id="signout-title">Sign-out did not complete</h1>
      <p className="lead" role="alert">
        This browser no longer holds your session, but we could not confirm that the session has
        ended, so a copy of it might still work elsewhere. We keep trying in the background.
      </p>
      <Form method="post" action="/logout">
        <button type="submit" className="button">
          Try signing out again
        </button>
      </Form>
    </section>
  );
}
