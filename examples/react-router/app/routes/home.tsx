import {
  displayName,
  SignedIn,
  SignedOut,
  signInHref,
  useUser,
} from "clerk-edge-auth/react-router/react";
import { Link } from "react-router";

export default function Home() {
  const { user } = useUser();
  return (
    <section className="card">
      <SignedOut>
        <h1>Welcome</h1>
        <p className="lead">
          Sign in with Clerk to see your private page. Sessions live in Workers KV; nothing but a
          signed session id is kept in your browser.
        </p>
        <a className="button" href={signInHref("/private")}>
          Sign in with Clerk
        </a>
      </SignedOut>
      <SignedIn>
        <h1>Hello, {user ? displayName(user) : ""}</h1>
        <p className="lead">You are signed in{user?.email ? ` as ${user.email}` : ""}.</p>
        <p>
          <Link to="/private">Go to your private page</Link>
        </p>
        <p>
          <Link to="/examples/auth-components">See the auth hooks and components at work</Link>
        </p>
      </SignedIn>
    </section>
  );
}
