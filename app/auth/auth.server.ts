import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import {
  type AppSession,
  createKvSessionStorage,
  sessionExpiry,
} from "~/session/session-storage.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { AuthError, authErrorCodeOf } from "./auth-error";
import type { ClerkProfile } from "./clerk-profile";
import { createClerkStrategy } from "./clerk.server";
import { currentAccessToken } from "./current-access-token.server";
import { authenticatorFor, finishSignIn } from "./finish-sign-in.server";
import { createClerkOAuthClient } from "./oauth-client.server";
import type { SessionUser } from "./session-user";

/**
 * Work shared by every loader and action of one request: the session is read from KV at most once
 * and a token refresh happens at most once. Keyed by the load context, which Remix creates afresh
 * for each request and drops with it.
 */
interface RequestMemo {
  session?: Promise<AppSession>;
  token?: Promise<string | null>;
}
const memos = new WeakMap<AppLoadContext, RequestMemo>();

export interface AuthArgs {
  request: Request;
  context: AppLoadContext;
}

/**
 * The auth service for one request, the app's `getAuth`: built from the request's bindings, it
 * reads the KV session lazily and signs people in and out through Clerk.
 */
export function getAuth({ request, context }: AuthArgs) {
  const { config } = context;
  const storage = createKvSessionStorage({
    kv: config.sessionKv,
    secrets: config.sessionSecrets,
    secure: new URL(request.url).protocol === "https:",
  });
  let memo = memos.get(context);
  if (!memo) {
    memo = {};
    memos.set(context, memo);
  }
  const requestMemo = memo;

  function session(): Promise<AppSession> {
    requestMemo.session ??= storage.getSession(request.headers.get("Cookie"));
    return requestMemo.session;
  }

  async function getUser(): Promise<SessionUser | null> {
    return (await session()).get("user") ?? null;
  }

  /**
   * A Clerk access token that is valid for at least another minute, refreshed when needed; null
   * when signed out, or when the refresh token was refused (the session is then ended).
   * @throws {AuthError} when Clerk cannot be reached to refresh an expired token.
   */
  function getToken(): Promise<string | null> {
    requestMemo.token ??= currentAccessToken({
      storage,
      request,
      session,
      strategy: createClerkStrategy(config),
      endSession: (signedOut) => {
        requestMemo.session = signedOut;
      },
    });
    return requestMemo.token;
  }

  return {
    getUser,

    /**
     * The signed-in user.
     * @throws a redirect to `/login?redirectTo=<this path>` when signed out.
     */
    async requireUser(): Promise<SessionUser> {
      const user = await getUser();
      if (user) return user;
      const url = new URL(request.url);
      const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
      throw redirect(`/login?${params}`, { headers: { "Cache-Control": "no-store" } });
    },

    /**
     * Starts a sign-in at Clerk, or, when already signed in, goes straight to `redirectTo`.
     * @throws always: the redirect Response.
     */
    async login(): Promise<never> {
      const redirectTo = new URL(request.url).searchParams.get("redirectTo");
      if (await getUser()) {
        throw redirect(safeRedirect(redirectTo), { headers: { "Cache-Control": "no-store" } });
      }
      // The strategy reads `code`, `state` or `error` as a callback; /login only ever starts one,
      // so it sees nothing of the query but redirectTo.
      const start = new URL(request.url);
      start.search = redirectTo === null ? "" : new URLSearchParams({ redirectTo }).toString();
      await authenticatorFor(createClerkStrategy(config)).authenticate(
        "clerk",
        new Request(start, request),
      );
      throw new AuthError("unexpected", { cause: "the strategy returned without redirecting" });
    },

    /** Finishes a sign-in: a new session and a redirect, or a redirect to the error page. */
    finishLogin(): Promise<Response> {
      return finishSignIn(request, createClerkStrategy(config), storage);
    },

    /** Ends the session: KV record deleted, refresh token revoked in the background, cookie expired. */
    async logout(): Promise<Response> {
      const current = await session();
      const refreshToken = current.get("tokens")?.refreshToken ?? null;
      const headers = new Headers({ "Cache-Control": "no-store" });
      try {
        headers.append("Set-Cookie", await storage.destroySession(current));
      } catch (error) {
        console.error("Sign-out could not delete the session record", error);
        headers.append("Set-Cookie", await storage.destroySession(await storage.getSession(null)));
      }
      if (refreshToken) {
        const revoke = createClerkStrategy(config)
          .revokeToken(refreshToken, "refresh_token")
          .catch((error: unknown) =>
            console.error("Revoking the refresh token failed", authErrorCodeOf(error)),
          );
        context.cloudflare.ctx.waitUntil(revoke);
      }
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
      if (token === null) return null;
      const { origin, clientId, clientSecret, scopes } = config.clerk;
      return createClerkOAuthClient({ origin, clientId, clientSecret, scopes }).fetchUserInfo(
        token,
      );
    },

    /** Replaces the user kept in the session, after the profile changed at Clerk. */
    async updateSessionUser(user: SessionUser): Promise<void> {
      const current = await session();
      if (!current.get("user")) return;
      current.set("user", user);
      await storage.commitSession(current, { expires: sessionExpiry(current) });
    },
  };
}

export type Auth = ReturnType<typeof getAuth>;
