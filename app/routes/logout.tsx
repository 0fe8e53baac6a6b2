import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form } from "@remix-run/react";
import { SIGN_OUT_INCOMPLETE_PATH, getAuth } from "~/auth/auth.server";
import { privateNoStoreHeaders } from "~/http/private-cache";

export const meta: MetaFunction = () => [{ title: "Sign-out did not complete" }];

export const headers = privateNoStoreHeaders;

export async function action(args: ActionFunctionArgs) {
  return getAuth(args).logout();
}

/** Only the page a sign-out that could not be confirmed leads to; anything else goes home. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { searchParams } = new URL(request.url);
  const expected = new URL(SIGN_OUT_INCOMPLETE_PATH, request.url).searchParams;
  for (const [name, value] of expected) {
    if (searchParams.get(name) !== value) throw redirect("/");
  }
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
