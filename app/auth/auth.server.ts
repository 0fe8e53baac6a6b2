import { type AppLoadContext, redirect } from "@remix-run/cloudflare";
import { Authenticator } from "remix-auth";
import {
  type AppSession,
  type KvSessionStorage,
  SESSION_TTL_SECONDS,
  createKvSessionStorage,
} from "~/session/session-storage.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { isExpired, needsRefresh } from "./access-token";
import { AuthError, type AuthErrorCode } from "./auth-error";
import type { ClerkProfile } from "./clerk-profile";
import { type SignIn, createClerkStrategy } from "./clerk.server";
import { createClerkOAuthClient } from "./oauth-client.server";
import type { SessionUser } from "./session-user";

export const SIGN_IN_ERROR_PATH = "/auth/error";

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
      await authenticator(config).authenticate("clerk", new Request(start, request));
      throw new AuthError("unexpected", { cause: "the strategy returned without redirecting" });
    },

    /** Finishes a sign-in: a new session and a redirect, or a redirect to the error page. */
    finishLogin(): Promise<Response> {
      return finishLogin(request, context, storage);
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
            console.error("Revoking the refresh token failed", codeOf(error)),
          );
        context.cloudflare.ctx.waitUntil(revoke);
      }
      return redirect("/", { headers });
    },

    /**
     * A Clerk access token that is valid for at least another minute, refreshed when needed; null
     * when signed out, or when the refresh token was refused (the session is then ended).
     * @throws {AuthError} when Clerk cannot be reached to refresh an expired token.
     */
    getToken(): Promise<string | null> {
      requestMemo.token ??= resolveToken(storage, request, session, requestMemo, config);
      return requestMemo.token;
    },

    /**
     * The signed-in user as Clerk's `/oauth/userinfo` describes them right now, read with a fresh
     * access token; null when signed out.
     * @throws {AuthError} when Clerk cannot be reached or refuses the token.
     */
    async fetchUserInfo(): Promise<ClerkProfile | null> {
      const token = await this.getToken();
      if (token === null) return null;
      return createClerkOAuthClient({ ...config.clerk }).fetchUserInfo(token);
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

function authenticator(config: AppLoadContext["config"]): Authenticator<SignIn> {
  return new Authenticator<SignIn>().use(createClerkStrategy(config));
}

async function finishLogin(
  request: Request,
  context: AppLoadContext,
  storage: KvSessionStorage,
): Promise<Response> {
  // The callback URL holds a one-time code: keep it out of Referer headers and caches (RFC 9700 §4.2).
  const headers = new Headers({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  const clerk = createClerkStrategy(context.config);
  const clearFlow = await clerk.clearFlowCookie(request);
  if (clearFlow) headers.append("Set-Cookie", clearFlow);
  try {
    if (!new URL(request.url).searchParams.has("state")) throw new AuthError("state_mismatch");
    const signIn = await new Authenticator<SignIn>().use(clerk).authenticate("clerk", request);
    // A new id at every sign-in, never a pre-login one: no session fixation (OWASP).
    const preLoginId = await storage.readSessionId(request);
    if (preLoginId) await storage.deleteById(preLoginId);
    const fresh = await storage.getSession(null);
    fresh.set("user", signIn.user);
    fresh.set("tokens", signIn.tokens);
    fresh.set("signedInAt", Date.now());
    headers.append("Set-Cookie", await storage.commitSession(fresh));
    headers.set("Location", signIn.redirectTo);
  } catch (error) {
    const code = codeOf(error);
    if (code === "unexpected") console.error("Sign-in failed unexpectedly", error);
    else console.error(`Sign-in failed: ${code}`);
    headers.set("Location", `${SIGN_IN_ERROR_PATH}?code=${code}`);
  }
  return new Response(null, { status: 302, headers });
}

async function resolveToken(
  storage: KvSessionStorage,
  request: Request,
  session: () => Promise<AppSession>,
  memo: RequestMemo,
  config: AppLoadContext["config"],
): Promise<string | null> {
  const current = await session();
  const tokens = current.get("tokens");
  if (!tokens) return null;
  const now = Date.now();
  if (!needsRefresh(tokens, now)) return tokens.accessToken;
  if (!tokens.refreshToken) return isExpired(tokens, now) ? null : tokens.accessToken;
  try {
    const fresh = await createClerkStrategy(config).refreshTokens(tokens.refreshToken);
    current.set("tokens", fresh);
    // The only KV write of the request. One refresh per token lifetime keeps this far below
    // KV's one-write-per-second-per-key limit.
    await storage.commitSession(current, { expires: sessionExpiry(current) });
    return fresh.accessToken;
  } catch (error) {
    if (!(error instanceof AuthError) || error.code !== "invalid_grant") throw error;
    // A concurrent request (another tab) may have used the same refresh token first; with
    // rotation Clerk then refuses ours, but that request has stored the new tokens.
    const latest = (await storage.getSession(request.headers.get("Cookie"))).get("tokens");
    if (latest && latest.refreshToken !== tokens.refreshToken && !isExpired(latest, Date.now())) {
      return latest.accessToken;
    }
    // Clerk no longer honours this sign-in's refresh token (revoked): the sign-in is over.
    await storage.destroySession(current);
    memo.session = storage.getSession(null);
    return null;
  }
}

/** The record keeps the expiry of the sign-in, so rewriting it never outlives the cookie. */
function sessionExpiry(session: AppSession): Date {
  const signedInAt = session.get("signedInAt") ?? Date.now();
  return new Date(signedInAt + SESSION_TTL_SECONDS * 1000);
}

function codeOf(error: unknown): AuthErrorCode {
  return error instanceof AuthError ? error.code : "unexpected";
}
