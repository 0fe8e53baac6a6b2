import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
} from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  actOnDeviceList,
  loadDeviceList,
  PRIVATE_NO_STORE,
  privateNoStoreHeaders,
} from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/remix";
import { DEVICE_LIST_INTENTS, type DeviceSession } from "clerk-edge-auth/remix/react";

export const meta: MetaFunction = () => [{ title: "Devices and sessions" }];

export const headers = privateNoStoreHeaders;

/** The user's live sessions, read from the session authority on every visit. */
export async function loader(args: LoaderFunctionArgs) {
  const { body, status } = await loadDeviceList(getAuth(args));
  return data(body, { status, headers: PRIVATE_NO_STORE });
}

/** Ends one other session, or every other one (intent and handle from the form). */
export async function action(args: ActionFunctionArgs) {
  const { body, status } = await actOnDeviceList(getAuth(args), args.request);
  return data(body, { status, headers: PRIVATE_NO_STORE });
}

/** Server and browser render the same text: a fixed UTC format, not the visitor's locale. */
function signedInAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function SessionItem({ session }: { session: DeviceSession }) {
  return (
    <li className="session" data-current={session.current || undefined}>
      <div>
        <strong>{session.device}</strong>
        {session.current ? <span className="session-current"> · This browser</span> : null}
        <p className="muted">
          {session.place ? `${session.place} · ` : ""}signed in{" "}
          <time dateTime={new Date(session.createdAt).toISOString()}>
            {signedInAt(session.createdAt)}
          </time>
          {session.lastActiveAt > session.createdAt ? (
            <>
              {" "}
              · last active{" "}
              <time dateTime={new Date(session.lastActiveAt).toISOString()}>
                {signedInAt(session.lastActiveAt)}
              </time>
            </>
          ) : null}
        </p>
      </div>
      {session.current ? null : (
        <Form method="post">
          <input type="hidden" name="intent" value={DEVICE_LIST_INTENTS.revokeOne} />
          <input type="hidden" name="session" value={session.handle} />
          <button
            type="submit"
            className="button button-secondary"
            aria-label={`Sign out ${session.device}, signed in ${signedInAt(session.createdAt)}`}
          >
            Sign out
          </button>
        </Form>
      )}
    </li>
  );
}

export default function AccountSessions() {
  const { sessions, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const others = sessions.filter((session) => !session.current).length;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h1 id="sessions-title">Devices and sessions</h1>
      <p className="lead">Where you are signed in now. Sign out anything you do not recognise.</p>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <p
          className={`notice ${result.ok ? "notice-success" : "notice-error"}`}
          role={result.ok ? "status" : "alert"}
        >
          {result.message}
        </p>
      ) : null}
      <ul className="session-list">
        {sessions.map((session) => (
          <SessionItem key={session.handle} session={session} />
        ))}
      </ul>
      {error ? null : others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value={DEVICE_LIST_INTENTS.revokeOthers} />
          <button type="submit" className="button">
            Sign out all other sessions
          </button>
        </Form>
      ) : (
        <p className="muted">This browser is the only place you are signed in.</p>
      )}
    </section>
  );
}
