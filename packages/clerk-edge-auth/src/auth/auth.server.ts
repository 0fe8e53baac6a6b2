import {
  expiredSessionCookieHeader,
  hashSessionId,
  readSessionId,
} from "../session/session-cookie.server.js";
import type { DeviceSession } from "../session/session-store.server.js";
import {
  loadProfile,
  type Outcome,
  type ProfileLoad,
  type ProfileSave,
  saveProfile,
} from "../clerk/profile.server.js";
import { safeRedirect } from "../utils/safe-redirect.js";
import { handleClerkWebhook } from "../webhooks/clerk-webhook.server.js";
import type { ClerkProfile } from "./clerk-responses.js";
import { createClerkStrategy } from "./clerk-strategy.server.js";
import type { SessionUser } from "./session-user.js";
import { finishSignIn, startSignIn } from "./sign-in.server.js";
import { type AuthContext, type Current, requestState } from "./request-state.server.js";
import { currentAccessToken } from "./token-refresh.server.js";

export type { DeviceSession } from "../session/session-store.server.js";
export type { AuthContext } from "./request-state.server.js";

const NO_STORE = { "Cache-Control": "no-store" };

/** A redirect both frameworks follow when a loader or action throws or returns it. */
function redirect(location: string, headers: HeadersInit = NO_STORE): Response {
  const redirected = new Headers(headers);
  redirected.set("Location", location);
  return new Response(null, { status: 302, headers: redirected });
}

/**
 * The auth service for one request; the framework adapters' `getAuth` hands it the request and
 * the request's `AuthContext`. A page view (GET or HEAD) reads the session's KV copy and nothing
 * else; every other method, and every token, is checked at the session authority, so a session
 * that ended is over everywhere at once for anything that changes state.
 */
export function createAuth(request: Request, context: AuthContext) {
  const { config } = context;
  const state = requestState(context);
  const secrets = config.sessionSecrets;
  const isPageView = request.method === "GET" || request.method === "HEAD";

  function sessionHash(): Promise<string | null> {
    state.idHash ??= readSessionId(request, secrets).then((id) => id && hashSessionId(id));
    return state.idHash;
  }

  function current(): Promise<Current | null> {
    state.current ??= (async () => {
      const idHash = await sessionHash();
      if (idHash === null) return null;
      const user = isPageView
        ? await state.store().viewUser(idHash)
        : ((await state.store().liveSession(idHash))?.user ?? null);
      return user === null ? null : { idHash, user };
    })();
    return state.current;
  }

  function signInRedirect(): Response {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    return redirect(`/login?${params}`);
  }

  async function requireCurrent(): Promise<Current> {
    const signedIn = await current();
    if (signedIn) return signedIn;
    throw signInRedirect();
  }

  /**
   * A Clerk access token valid for at least another minute, refreshed when needed; null when
   * signed out, or when Clerk refused the refresh token (the session is then ended).
   * @throws {AuthError} when Clerk cannot be reached to refresh an expired token.
   */
  function getToken(): Promise<string | null> {
    state.token ??= (async () => {
      const idHash = await sessionHash();
      if (idHash === null) return null;
      const token = await currentAccessToken({
        store: state.store(),
        idHash,
        client: state.client(),
      });
      if (token === null) state.current = Promise.resolve(null);
      return token;
    })();
    return state.token;
  }

  /**
   * Writes the given public fields of the user kept in this session (after a change at Clerk),
   * and nothing else of it; false when the session is no longer live.
   */
  async function updateSessionUser(patch: Partial<SessionUser>): Promise<boolean> {
    const signedIn = await current();
    return signedIn !== null && state.store().updateUser(signedIn.idHash, patch);
  }

  return {
    async getUser(): Promise<SessionUser | null> {
      return (await current())?.user ?? null;
    },

    /**
     * The signed-in user.
     * @throws a redirect to `/login?redirectTo=<this path>` when signed out.
     */
    async requireUser(): Promise<SessionUser> {
      return (await requireCurrent()).user;
    },

    /**
     * Starts a sign-in at Clerk, or, when already signed in, goes straight to `redirectTo`.
     * @throws always: the redirect Response.
     */
    async login(): Promise<never> {
      const redirectTo = new URL(request.url).searchParams.get("redirectTo");
      if (await current()) throw redirect(safeRedirect(redirectTo));
      return startSignIn(request, createClerkStrategy(config, state.client()), redirectTo);
    },

    /** Finishes a sign-in: a new session and a redirect, or a redirect to the error page. */
    finishLogin(): Promise<Response> {
      return finishSignIn({
        request,
        strategy: createClerkStrategy(config, state.client()),
        store: state.store(),
        secrets,
        cf: context.cf,
      });
    },

    /**
     * Ends this browser's session at the authority (the id comes from the cookie, so this works
     * even when KV cannot be read), removes its KV copy, revokes its refresh token in the
     * background and expires the cookie. Safe with no session or a dead one.
     */
    async logout(): Promise<Response> {
      const idHash = await sessionHash();
      if (idHash !== null) {
        await state
          .store()
          .end(idHash, "signed_out")
          .catch((error: unknown) => {
            console.error("Sign-out could not reach the session database", error);
          });
      }
      state.current = Promise.resolve(null);
      const headers = new Headers(NO_STORE);
      headers.append("Set-Cookie", await expiredSessionCookieHeader(request, secrets));
      return redirect("/", headers);
    },

    getToken,

    /**
     * The signed-in user as Clerk's `/oauth/userinfo` describes them right now, read with a fresh
     * access token; null when signed out.
     * @throws {AuthError} when Clerk cannot be reached or refuses the token.
     */
    async fetchUserInfo(): Promise<ClerkProfile | null> {
      const token = await getToken();
      return token === null ? null : state.client().fetchUserInfo(token);
    },

    updateSessionUser,

    /**
     * The user's live sessions, newest first, read from the authority.
     * @throws a redirect to sign in when this browser's session is not among them.
     */
    async listSessions(): Promise<DeviceSession[]> {
      const { idHash, user } = await requireCurrent();
      const devices = await state.store().listDevices(user.id, idHash);
      if (devices === null) throw signInRedirect();
      return devices;
    },

    /** Ends another live session of the signed-in user by handle; false for any other handle. */
    async revokeSession(handle: string): Promise<boolean> {
      const { idHash, user } = await requireCurrent();
      return state.store().endByHandle(user.id, handle, idHash);
    },

    /**
     * The signed-in user as Clerk's Backend API returns them now, shaped for the profile page.
     * @throws a redirect to sign in when signed out.
     */
    async loadProfile(): Promise<Outcome<ProfileLoad>> {
      const { user } = await requireCurrent();
      return loadProfile(config.backendApi, user.id);
    },

    /**
     * Saves the posted names at Clerk (only the fields the form holds), then in this session.
     * @throws a redirect to sign in when signed out.
     */
    async saveProfile(form: FormData | null): Promise<Outcome<ProfileSave>> {
      const { user } = await requireCurrent();
      return saveProfile(config.backendApi, user, form, { updateSessionUser });
    },

    /**
     * Answers a delivery of Clerk's webhooks: verifies it, then ends or updates the sessions it
     * concerns through this request's session store. Clerk only ever POSTs; any other method is 405.
     */
    async handleClerkWebhook(): Promise<Response> {
      if (request.method !== "POST") {
        return new Response("Clerk delivers webhooks here with POST.", {
          status: 405,
          headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" },
        });
      }
      return handleClerkWebhook({ request, config, store: state.store() });
    },

    /** Ends every live session of the signed-in user but this browser's; returns how many. */
    async revokeOtherSessions(): Promise<number> {
      const { idHash, user } = await requireCurrent();
      return state.store().endAllForUser(user.id, "revoked_by_user", idHash);
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
