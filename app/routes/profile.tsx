import {
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
} from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getAuth } from "~/auth/auth.server";
import type { SessionUser } from "~/auth/session-user";
import { BackendApiError, fieldErrors } from "~/clerk/backend-api-error";
import { readBackendClient } from "~/clerk/backend-client.server";
import type { ClerkUser } from "~/clerk/clerk-user";
import { type ProfileField, parseProfileForm } from "~/clerk/profile-form";
import { Avatar } from "~/components/avatar";

export const meta: MetaFunction = () => [{ title: "Your profile" }];

const PRIVATE = { "Cache-Control": "private, no-store" };

export const headers: HeadersFunction = () => PRIVATE;

type Loaded = { status: "ok"; user: ClerkUser } | { status: "unavailable"; message: string };

/** Read fresh from Clerk's Backend API on every visit; failures become a message, never a 5xx. */
export async function loader(args: LoaderFunctionArgs) {
  const sessionUser = await getAuth(args).requireUser();
  const backend = readBackendClient(args.context.config.backendApi);
  if (!backend.ok) {
    return data<Loaded>(
      { status: "unavailable", message: backend.error.message },
      { headers: PRIVATE },
    );
  }
  try {
    const user = await backend.client.users.getUser(sessionUser.id);
    return data<Loaded>({ status: "ok", user }, { headers: PRIVATE });
  } catch (error) {
    const { message, status } = describeFailure(error);
    return data<Loaded>({ status: "unavailable", message }, { status, headers: PRIVATE });
  }
}

type ActionResult =
  | { ok: true }
  | { ok: false; fieldErrors: Partial<Record<ProfileField, string>>; formError: string | null };

export async function action(args: ActionFunctionArgs) {
  const auth = getAuth(args);
  const sessionUser = await auth.requireUser();
  const form = await args.request.formData().catch(() => null);
  if (form === null) return refuse(400, {}, "The form could not be read. Please try again.");
  const parsed = parseProfileForm(form);
  if (!parsed.ok) return refuse(400, parsed.fieldErrors, null);
  const backend = readBackendClient(args.context.config.backendApi);
  if (!backend.ok) return refuse(409, {}, backend.error.message);
  try {
    const updated = await backend.client.users.updateUser(sessionUser.id, parsed.input);
    await auth.updateSessionUser(withNames(sessionUser, updated));
    return data<ActionResult>({ ok: true }, { headers: PRIVATE });
  } catch (error) {
    const clerkFields = fieldErrors(error);
    const mapped = {
      firstName: clerkFields.first_name,
      lastName: clerkFields.last_name,
    };
    if (mapped.firstName || mapped.lastName) return refuse(422, mapped, null);
    const { message, status } = describeFailure(error);
    return refuse(status, {}, message);
  }
}

function refuse(
  status: number,
  fields: Partial<Record<ProfileField, string | undefined>>,
  formError: string | null,
) {
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value));
  return data<ActionResult>(
    { ok: false, fieldErrors: present, formError },
    { status, headers: PRIVATE },
  );
}

/** The session keeps the names shown across the app; refresh them from what Clerk now holds. */
function withNames(user: SessionUser, updated: ClerkUser): SessionUser {
  const fullName = [updated.firstName, updated.lastName].filter(Boolean).join(" ");
  return {
    ...user,
    firstName: updated.firstName,
    lastName: updated.lastName,
    fullName: fullName === "" ? null : fullName,
    username: updated.username,
  };
}

/**
 * A Backend API failure as a person should see it. The status stays below 500: the app itself is
 * fine, so a missing user is a 404 and anything else is a page that explains the problem.
 */
function describeFailure(error: unknown): { message: string; status: number } {
  if (!(error instanceof BackendApiError)) {
    console.error("Profile: unexpected Backend API failure", error);
    return { message: "Something went wrong talking to Clerk. Please try again.", status: 200 };
  }
  console.error(`Profile: Clerk Backend API failed (${error.code})`);
  if (error.status === 404) return { message: "Clerk has no record of this user.", status: 404 };
  if (error.code === "timeout" || error.code === "network_error") {
    return { message: "Clerk did not answer in time. Please try again.", status: 200 };
  }
  return { message: `Clerk refused the request: ${error.message}`, status: 200 };
}

export default function Profile() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  if (loaded.status !== "ok") {
    return (
      <section className="card" aria-labelledby="profile-title">
        <h1 id="profile-title">Your profile</h1>
        <p className="notice notice-error" role="alert">
          {loaded.message}
        </p>
      </section>
    );
  }
  const { user } = loaded;
  const errors = result && !result.ok ? result.fieldErrors : {};
  const saving = navigation.state === "submitting";
  return (
    <>
      <section className="card" aria-labelledby="profile-title">
        <div className="profile-head">
          <Avatar name={displayedName(user)} imageUrl={user.imageUrl} size="large" />
          <div>
            <h1 id="profile-title">Your profile</h1>
            <p className="lead">As Clerk's Backend API returns it, fresh on each visit.</p>
          </div>
        </div>
        <dl className="facts">
          <dt>User id</dt>
          <dd>
            <code>{user.id}</code>
          </dd>
          <dt>Name</dt>
          <dd data-testid="profile-name">
            {[user.firstName, user.lastName].filter(Boolean).join(" ") || "not set"}
          </dd>
          <dt>Username</dt>
          <dd>{user.username ?? "not set"}</dd>
          <dt>Email</dt>
          <dd>
            {user.emailAddresses.length === 0
              ? "none"
              : user.emailAddresses.map((email) => (
                  <span key={email.id} className="email-line">
                    {email.emailAddress}
                    {email.verified ? "" : " (not verified)"}
                    {email.emailAddress === user.primaryEmailAddress ? " · primary" : ""}
                  </span>
                ))}
          </dd>
          {user.createdAt !== null ? (
            <>
              <dt>Member since</dt>
              <dd>{new Date(user.createdAt).toISOString().slice(0, 10)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">Change your name</h2>
        {result?.ok ? (
          <p className="notice notice-success" role="status">
            Saved. Your name is updated everywhere.
          </p>
        ) : null}
        {result && !result.ok && result.formError ? (
          <p className="notice notice-error" role="alert">
            {result.formError}
          </p>
        ) : null}
        <Form method="post" className="form" noValidate>
          <NameField
            name="firstName"
            label="First name"
            value={user.firstName}
            error={errors.firstName}
          />
          <NameField
            name="lastName"
            label="Last name"
            value={user.lastName}
            error={errors.lastName}
          />
          <div>
            <button type="submit" className="button" disabled={saving}>
              {saving ? "Saving…" : "Save"}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

function NameField({
  name,
  label,
  value,
  error,
}: {
  name: ProfileField;
  label: string;
  value: string | null;
  error: string | undefined;
}) {
  const errorId = `${name}-error`;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        defaultValue={value ?? ""}
        autoComplete={name === "firstName" ? "given-name" : "family-name"}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function displayedName(user: ClerkUser): string {
  return (
    [user.firstName, user.lastName].filter(Boolean).join(" ") ||
    user.username ||
    user.primaryEmailAddress ||
    user.id
  );
}
