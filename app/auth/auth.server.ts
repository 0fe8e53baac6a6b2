import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import {
  expiredSessionCookieHeader,
  hashSessionId,
  readSessionId,
} from "~/session/session-cookie.server";
import type { DeviceSession } from "~/session/session-store.server";
import { safeRedirect } from "~/utils/safe-redirect";
import type { ClerkProfile } from "./clerk-responses";
import { createClerkStrategy } from "./clerk-strategy.server";
import type { SessionUser } from "./session-user";
import { finishSignIn, startSignIn } from "./sign-in.server";
import { type Current, requestState } from "./request-state.server";
import { currentAccessToken } from "./token-refresh.server";

export type { DeviceSession } from "~/session/session-store.server";

export interface AuthArgs {
  request: Request;
  context: AppLoadContext;
}

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The auth service for one request, the app's `getAuth`. A page view (GET or HEAD) reads the
 * session's KV copy and nothing else; every other method, and every token, is checked at the
 * session authority, so a session that ended is over everywhere at once for anything that changes
 * state.
 */
export function getAuth({ request, context }: AuthArgs) {
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
    return redirect(`/login?${params}`, { headers: NO_STORE });
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
      if (await current()) throw redirect(safeRedirect(redirectTo), { headers: NO_STORE });
      return startSignIn(request, createClerkStrategy(config, state.client()), redirectTo);
    },

    /** Finishes a sign-in: a new session and a redirect, or a redirect to the error page. */
    finishLogin(): Promise<Response> {
      return finishSignIn({
        request,
        strategy: createClerkStrategy(config, state.client()),
        store: state.store(),
        secrets,
        cf: context.cloudflare.cf,
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
      return redirect("/", { headers });
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

    /**
     * Writes the given public fields of the user kept in this session (after a change at Clerk),
     * and nothing else of it; false when the session is no longer live.
     */
    async updateSessionUser(patch: Partial<SessionUser>): Promise<boolean> {
      const signedIn = await current();
      return signedIn !== null && state.store().updateUser(signedIn.idHash, patch);
    },

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

    /** Ends every live session of the signed-in user but this browser's; returns how many. */
    async revokeOtherSessions(): Promise<number> {
      const { idHash, user } = await requireCurrent();
      return state.store().endAllForUser(user.id, "revoked_by_user", idHash);
    },
  };
}

export type Auth = ReturnType<typeof getAuth>;
