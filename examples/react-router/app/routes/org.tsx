import type { Route } from "./+types/org";
import { data, Form, Link, useActionData, useLoaderData } from "react-router";
import { PRIVATE_NO_STORE, privateNoStoreHeaders } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/react-router";
import { SWITCH_ORG_INTENT } from "clerk-edge-auth/react-router/react";

export const meta: Route.MetaFunction = () => [{ title: "Your organizations" }];

export const headers = privateNoStoreHeaders;

/** The active organization, your role in it and your other organizations, from the authority. */
export async function loader(args: Route.LoaderArgs) {
  const organizations = await getAuth(args).loadOrganizations();
  return data(organizations, {
    status: organizations.error ? 424 : 200,
    headers: PRIVATE_NO_STORE,
  });
}

/** `intent=switch-org`, `org=<id>`: another of your own organizations becomes active here. */
export async function action(args: Route.ActionArgs) {
  const auth = getAuth(args);
  await auth.requireUser();
  const form = await args.request.formData().catch(() => null);
  const org = form?.get("org");
  if (form?.get("intent") !== SWITCH_ORG_INTENT || typeof org !== "string") {
    return data(
      { ok: false, message: "Choose an organization." },
      { status: 400, headers: PRIVATE_NO_STORE },
    );
  }
  const outcome = await auth.switchOrganization(org);
  return data(outcome, { status: outcome.status, headers: PRIVATE_NO_STORE });
}

export default function Organizations() {
  const { active, memberships, known, canListMembers, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const others = memberships.filter((membership) => membership.orgId !== active?.id);
  return (
    <section className="card" aria-labelledby="org-title">
      <h1 id="org-title">Your organizations</h1>
      {result ? (
        <p
          className={`notice ${result.ok ? "notice-success" : "notice-error"}`}
          role={result.ok ? "status" : "alert"}
        >
          {result.message}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : !known ? (
        <p className="notice notice-error" role="alert">
          Your organizations could not be read from Clerk when you signed in. They are read again
          shortly: reload this page in a moment.
        </p>
      ) : null}
      {active ? (
        <div>
          <h2>
            Active: <span data-testid="active-org">{active.name}</span>
          </h2>
          <p>
            Your role: <strong data-testid="org-role">{active.roleName}</strong> (
            <code>{active.role}</code>)
          </p>
          {canListMembers ? <Link to="/org/members">{`Members of ${active.name}`}</Link> : null}
        </div>
      ) : (
        <p data-testid="active-org-none">No organization is active in this session.</p>
      )}
      <h2>{active ? "Your other organizations" : "Your organizations"}</h2>
      {others.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="session-list">
          {others.map((membership) => (
            <li key={membership.orgId} className="session">
              <div>
                <strong>{membership.orgName}</strong>
                <p className="muted">{membership.roleName}</p>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value={SWITCH_ORG_INTENT} />
                <input type="hidden" name="org" value={membership.orgId} />
                <button type="submit" className="button button-secondary">
                  {`Switch to ${membership.orgName}`}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
