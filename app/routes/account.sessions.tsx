import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  data,
} from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  type DeviceSession,
  errorName,
  PRIVATE_NO_STORE,
  privateNoStoreHeaders,
} from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/remix";

export const meta: MetaFunction = () => [{ title: "Devices and sessions" }];

export const headers = privateNoStoreHeaders;

/** A dependency (here the session database) failed, not the request: the app's one status for it. */
const UNAVAILABLE_STATUS = 424;

const REVOKE_ONE = "revoke-session";
const REVOKE_OTHERS = "revoke-other-sessions";
/** Handles are 22 base64url characters; anything far longer is not one and is not looked up. */
const MAX_HANDLE_LENGTH = 64;

type ActionResult = { ok: boolean; message: string };
type SessionsView = { sessions: DeviceSession[]; error: string | null };

function answer(status: number, message: string) {
  return data<ActionResult>({ ok: status < 400, message }, { status, headers: PRIVATE_NO_STORE });
}

const UNAVAILABLE = "Your sessions cannot be read right now. Please try again in a moment.";
/** A sign-out whose outcome is unknown is never reported as done. */
const NOT_CONFIRMED =
  "Signing out could not be confirmed, so it may not have happened yet. We keep trying in the background; please check this list again in a moment.";

/**
 * Runs `work` against the session authority; when the database fails, answers `fallback` with a
 * page that says so (never a 5xx) instead of an error page. Redirects (signed out) pass through.
 */
async function orUnavailable<T>(work: () => Promise<T>, fallback: () => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) throw error;
    console.error(`Device list: session database failed (${errorName(error)})`);
    return fallback();
  }
}

/** The user's live sessions, read from the session authority on every visit. */
export async function loader(args: LoaderFunctionArgs) {
  const auth = getAuth(args);
  await auth.requireUser();
  return orUnavailable(
    async () =>
      data<SessionsView>(
        { sessions: await auth.listSessions(), error: null },
        { headers: PRIVATE_NO_STORE },
      ),
    () =>
      data<SessionsView>(
        { sessions: [], error: UNAVAILABLE },
        { status: UNAVAILABLE_STATUS, headers: PRIVATE_NO_STORE },
      ),
  );
}

/**
 * Ends one other session by its public handle, or every other one. The caller's session is checked
 * at the authority first, so a browser that was signed out elsewhere is sent to sign in and
 * changes nothing. A handle that is not one of the caller's live sessions changes nothing either.
 */
export async function action(args: ActionFunctionArgs) {
  return orUnavailable(
    () => act(args),
    () => answer(UNAVAILABLE_STATUS, NOT_CONFIRMED),
  );
}

async function act(args: ActionFunctionArgs) {
  const auth = getAuth(args);
  await auth.requireUser();
  const form = await args.request.formData().catch(() => null);
  const intent = form?.get("intent");
  if (intent === REVOKE_OTHERS) {
    const ended = await auth.revokeOtherSessions();
    return answer(200, `Signed out ${ended} other ${ended === 1 ? "session" : "sessions"}.`);
  }
  if (intent !== REVOKE_ONE) return answer(400, "Choose a session to sign out.");
  const handle = form?.get("session");
  if (typeof handle !== "string" || handle === "" || handle.length > MAX_HANDLE_LENGTH) {
    return answer(400, "Choose a session to sign out.");
  }
  if (!(await auth.revokeSession(handle))) {
    return answer(404, "That session has already ended, or it is not one of yours.");
  }
  return answer(200, "Signed out that session.");
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
          <input type="hidden" name="intent" value={REVOKE_ONE} />
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
          <input type="hidden" name="intent" value={REVOKE_OTHERS} />
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
