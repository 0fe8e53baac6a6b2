import type { Route } from "./+types/auth.error";
import { useLoaderData } from "react-router";
import { authErrorMessages, isAuthErrorCode, signInHref } from "clerk-edge-auth/react-router/react";

export const meta: Route.MetaFunction = () => [{ title: "Sign-in failed" }];

export async function loader({ request }: Route.LoaderArgs) {
  const code = new URL(request.url).searchParams.get("code");
  return { code: isAuthErrorCode(code) ? code : "unexpected" };
}

export default function SignInError() {
  const { code } = useLoaderData<typeof loader>();
  const message = authErrorMessages[code];
  return (
    <section className="card" aria-labelledby="error-title">
      <h1 id="error-title">{message.title}</h1>
      <p className="lead">{message.detail}</p>
      <p>
        <a className="button" href={signInHref("/private")}>
          Try again
        </a>
      </p>
      <p className="muted">
        Reference: <code>{code}</code>
      </p>
    </section>
  );
}
