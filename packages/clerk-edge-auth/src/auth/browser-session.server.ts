import { redirect, NO_STORE } from "../http/responses.js";
import { setResponseCookie } from "../http/response-cookies.server.js";
import type { OrganizationState } from "../organizations/organization-state.js";
import { type Activity, activityAt } from "../session/session-activity.js";
import {
  expiredSessionCookieHeader,
  hashSessionId,
  readSessionCookie,
  sessionCookieHeader,
  sessionCookieName,
} from "../session/session-cookie.server.js";
import { type SessionView, viewOf } from "../session/session-record.js";
import { errorName } from "../utils/request-facts.js";
import { type AuthContext, type Current, requestState } from "./request-state.server.js";
import { currentAccessToken } from "./token-refresh.server.js";

function orgPart(organizations: OrganizationState | undefined) {
  return organizations ? { organizations } : {};
}

/**
 * This browser's session during one request: its cookie, whether it is signed in (a page view
 * reads the session's KV copy and nothing else; every other method asks the authority), the idle
 * timeout kept by the cookie's signed stamp, and its Clerk access token. Shared through the
 * request's state, so every loader of a request sees one answer.
 */
export function browserSession(request: Request, context: AuthContext) {
  const { config } = context;
  const state = requestState(context);
  const secrets = config.sessionSecrets;
  const isPageView = request.method === "GET" || request.method === "HEAD";
  const idleTimeout = config.sessionIdleTimeoutSeconds;

  function sessionCookie() {
    return state.once("cookie", () => readSessionCookie(request, secrets));
  }

  function sessionHash(): Promise<string | null> {
    return state.once("idHash", () =>
      sessionCookie().then((cookie) => cookie && hashSessionId(cookie.id)),
    );
  }

  /**
   * The session at the authority: null when it is over (noted, so the cookie and KV copy go with
   * the answer), undefined when the authority cannot say (logged; the cookie stays).
   */
  async function authorityView(idHash: string): Promise<SessionView | null | undefined> {
    try {
      const live = await state.store().liveSession(idHash);
      if (live === null) state.ended.mark();
      return live && viewOf(live);
    } catch (error) {
      console.error(`Session database read failed (${errorName(error)})`);
      return undefined;
    }
  }

  /**
   * Where this browser's session stands against the idle timeout, checked once per request from
   * the cookie's signed stamp (no store is read); a session past it is ended at the authority now
   * and reads as signed out everywhere. A cookie from before the stamp existed is judged by the
   * authority's record instead.
   */
  function idleCheck(): Promise<Activity | "ended"> {
    return state.once("activity", async () => {
      const [cookie, idHash] = [await sessionCookie(), await sessionHash()];
      if (cookie === null || idHash === null) return "off";
      let activity = activityAt(cookie.activeAt, Date.now(), idleTimeout);
      if (activity === "unknown") {
        const live = await state
          .store()
          .liveSession(idHash)
          .catch((error: unknown) => {
            console.error(`Session database read failed (${errorName(error)})`);
            return undefined;
          });
        // Not live, or not known: the usual paths answer it. Live: stamp it from now on.
        if (!live) return "fresh";
        activity =
          activityAt(live.lastActiveAt, Date.now(), idleTimeout) === "idle" ? "idle" : "due";
      }
      if (activity !== "idle") return activity;
      await endIdle(idHash);
      return "ended";
    });
  }

  /** Ends a session past the idle timeout, and expires its cookie with whatever answer goes out. */
  async function endIdle(idHash: string): Promise<void> {
    const store = state.store();
    const end = () => store.end(idHash, "idle_timeout");
    await end().catch((error: unknown) => {
      console.error(`Ending an idle session failed (${errorName(error)})`);
      store.retryLater("Ending an idle session", end);
    });
    setResponseCookie(
      config,
      sessionCookieName(request),
      await expiredSessionCookieHeader(request, secrets),
    );
  }

  /** Re-issues the session cookie stamped with this request, when its stamp is due. */
  async function stampActivity(activity: Activity, expiresAt: number): Promise<void> {
    const cookie = await sessionCookie();
    if ((activity !== "due" && activity !== "unknown") || cookie === null) return;
    const stamped = { id: cookie.id, activeAt: Date.now(), expiresAt };
    setResponseCookie(
      config,
      sessionCookieName(request),
      await sessionCookieHeader(request, secrets, stamped),
    );
  }

  function current(): Promise<Current | null> {
    return state.once("current", async () => {
      const idHash = await sessionHash();
      if (idHash === null) return null;
      const activity = await idleCheck();
      if (activity === "ended") return null;
      const view = isPageView
        ? await state.store().viewSession(idHash)
        : await authorityView(idHash);
      if (!view) return null;
      await stampActivity(activity, view.expiresAt);
      return { idHash, user: view.user, ...orgPart(view.organizations) };
    });
  }

  /**
   * Headers for an answer that treats the browser as signed out. When the authority said its
   * session is over, the KV copy is removed and the cookie expired, so a stale copy can never keep
   * sending its holder between /login and a page that needs the session.
   */
  async function signedOutHeaders(): Promise<Headers> {
    const headers = new Headers(NO_STORE);
    const idHash = await sessionHash();
    if ((state.ended() || (await idleCheck()) === "ended") && idHash !== null) {
      await state.store().forgetCopy(idHash);
      headers.append("Set-Cookie", await expiredSessionCookieHeader(request, secrets));
    }
    return headers;
  }

  async function signInRedirect(): Promise<Response> {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    return redirect(`/login?${params}`, await signedOutHeaders());
  }

  async function requireCurrent(): Promise<Current> {
    const signedIn = await current();
    if (signedIn) return signedIn;
    throw await signInRedirect();
  }

  /**
   * A Clerk access token valid for at least another minute, refreshed when needed; null when
   * signed out, or when Clerk refused the refresh token (the session is then ended).
   * @throws {AuthError} when Clerk cannot be reached to refresh an expired token.
   */
  function getToken(): Promise<string | null> {
    return state.once("token", async () => {
      const idHash = await sessionHash();
      if (idHash === null) return null;
      const activity = await idleCheck();
      if (activity === "ended") {
        state.settle("current", Promise.resolve(null));
        return null;
      }
      const store = state.store();
      const token = await currentAccessToken({ store, idHash, client: state.client() });
      if (token === null) state.settle("current", Promise.resolve(null));
      const read = store.lastRead(idHash);
      if (token !== null && read) await stampActivity(activity, read.expiresAt);
      return token;
    });
  }

  return {
    sessionHash,
    authorityView,
    current,
    requireCurrent,
    signedOutHeaders,
    signInRedirect,
    getToken,
  };
}
