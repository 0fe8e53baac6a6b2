import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getAuth } from "clerk-edge-auth/remix";
import { type RootData, SignedIn, SignedOut, signInHref } from "clerk-edge-auth/remix/react";
import { UserMenu } from "~/components/user-menu";
import { useNonce } from "~/nonce";
import stylesheet from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Remix × Clerk on Cloudflare" }];

/** Auth state for every page, like Clerk's `rootAuthLoader`: public user fields only, never tokens. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return (await getAuth({ request, context }).getRootData()) satisfies RootData;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav className="site-nav" aria-label="Main">
            <Link to="/" className="brand">
              Remix × Clerk
            </Link>
            <Link to="/private">Private</Link>
            <Link to="/profile">Profile</Link>
          </nav>
          <div className="site-auth">
            <SignedIn>
              <UserMenu />
            </SignedIn>
            <SignedOut>
              <a className="button" href={signInHref("/private")}>
                Sign in
              </a>
            </SignedOut>
          </div>
        </header>
        <main id="main" className="site-main">
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="card">
      <h1>{notFound ? "Page not found" : "Something went wrong"}</h1>
      <p>
        {notFound
          ? "There is nothing at this address."
          : "We could not show this page. Please try again in a moment."}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
