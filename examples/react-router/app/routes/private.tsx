import type { Route } from "./+types/private";
import { useLoaderData } from "react-router";
import { privateNoStoreHeaders } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/react-router";
import { displayName } from "clerk-edge-auth/react-router/react";
import { Avatar } from "../components/avatar";

export const meta: Route.MetaFunction = () => [{ title: "Your account" }];

export const headers = privateNoStoreHeaders;

/** Served from the KV session alone: no call to Clerk on this page. */
export async function loader(args: Route.LoaderArgs) {
  const user = await getAuth(args).requireUser();
  return { user };
}

export default function Private() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="private-title">
      <div className="profile-head">
        <Avatar name={displayName(user)} imageUrl={user.imageUrl} size="large" />
        <div>
          <h1 id="private-title">{displayName(user)}</h1>
          <p className="lead">This page is only for you.</p>
        </div>
      </div>
      <dl className="facts">
        <dt>User id</dt>
        <dd>
          <code data-testid="user-id">{user.id}</code>
        </dd>
        <dt>Email</dt>
        <dd data-testid="user-email">
          {user.email ?? "none"}
          {user.email && !user.emailVerified ? " (not verified)" : ""}
        </dd>
        <dt>Name</dt>
        <dd data-testid="user-name">{user.fullName ?? "not set"}</dd>
        <dt>Username</dt>
        <dd>{user.username ?? "not set"}</dd>
      </dl>
    </section>
  );
}
