import type { Route } from "./+types/profile";
import { Form, useActionData, useLoaderData, useNavigation, data } from "react-router";
import { PRIVATE_NO_STORE, privateNoStoreHeaders } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/react-router";
import type { ProfileField, ProfileView } from "clerk-edge-auth/react-router/react";
import { Avatar } from "../components/avatar";

export const meta: Route.MetaFunction = () => [{ title: "Your profile" }];

export const headers = privateNoStoreHeaders;

/** Read fresh from Clerk's Backend API on every visit; the page gets only what it shows. */
export async function loader(args: Route.LoaderArgs) {
  const { body, status } = await getAuth(args).loadProfile();
  return data(body, { status, headers: PRIVATE_NO_STORE });
}

export async function action(args: Route.ActionArgs) {
  const auth = getAuth(args);
  await auth.requireUser();
  const form = await args.request.formData().catch(() => null);
  const { body, status } = await auth.saveProfile(form);
  return data(body, { status, headers: PRIVATE_NO_STORE });
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
  const user = loaded.profile;
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
          <dd data-testid="profile-name">{user.fullName ?? "not set"}</dd>
          <dt>Username</dt>
          <dd>{user.username ?? "not set"}</dd>
          <dt>Email</dt>
          <dd>
            {user.emails.length === 0
              ? "none"
              : user.emails.map((email) => (
                  <span key={email.address} className="email-line">
                    {email.address}
                    {email.verified ? "" : " (not verified)"}
                    {email.primary ? " · primary" : ""}
                  </span>
                ))}
          </dd>
          {user.memberSince !== null ? (
            <>
              <dt>Member since</dt>
              <dd>{user.memberSince}</dd>
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

function displayedName(user: ProfileView): string {
  const primary = user.emails.find((email) => email.primary) ?? user.emails[0];
  return user.fullName ?? user.username ?? primary?.address ?? user.id;
}
