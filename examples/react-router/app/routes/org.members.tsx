import type { Route } from "./+types/org.members";
import { data, Link, useLoaderData } from "react-router";
import { PRIVATE_NO_STORE, privateNoStoreHeaders } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/react-router";

export const meta: Route.MetaFunction = () => [{ title: "Members" }];

export const headers = privateNoStoreHeaders;

/**
 * The active organization's members from Clerk, for a role that grants reading them (checked at
 * the authority); 403 for any other role, 404 with no active organization.
 */
export async function loader(args: Route.LoaderArgs) {
  const outcome = await getAuth(args).loadOrganizationMembers();
  return data(outcome, { status: outcome.ok ? 200 : outcome.status, headers: PRIVATE_NO_STORE });
}

export default function OrganizationMembers() {
  const outcome = useLoaderData<typeof loader>();
  if (!outcome.ok) {
    return (
      <section className="card" aria-labelledby="members-title">
        <h1 id="members-title">Members</h1>
        <p className="notice notice-error" role="alert">
          {outcome.message}
        </p>
        <Link to="/org">Your organizations</Link>
      </section>
    );
  }
  const { organization, members, totalCount } = outcome;
  return (
    <section className="card" aria-labelledby="members-title">
      <h1 id="members-title">{`Members of ${organization.name}`}</h1>
      <table className="members">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId}>
              <td>{[member.firstName, member.lastName].filter(Boolean).join(" ") || "—"}</td>
              <td>{member.identifier}</td>
              <td>{member.roleName}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {totalCount > members.length ? (
        <p className="muted">
          Showing {members.length} of {totalCount} members.
        </p>
      ) : null}
      <Link to="/org">Your organizations</Link>
    </section>
  );
}
