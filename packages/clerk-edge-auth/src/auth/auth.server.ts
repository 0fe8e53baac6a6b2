import {
  expiredPendingSignOutCookieHeader,
  expiredSessionCookieHeader,
  hashSessionId,
  pendingSignOutCookieHeader,
  readPendingSignOutId,
  readSessionId,
} from "../session/session-cookie.server.js";
import type { DeviceSession } from "../session/session-store.server.js";
import {
  loadProfile,
  type ProfileLoad,
  type ProfileSave,
  saveProfile,
} from "../clerk/profile.server.js";
import type { Outcome } from "../http/page-answer.js";
import { errorName } from "../utils/request-facts.js";
import { safeRedirect } from "../utils/safe-redirect.js";
import { handleClerkWebhook } from "../webhooks/clerk-webhook.server.js";
import { type Has, type HasCheck, hasFor, orgFields } from "../organizations/has.js";
import type {
  MembersOutcome,
  OrganizationsView,
  SwitchOutcome,
} from "../organizations/organization-service.server.js";
import type { RootData } from "../browser.js";
import type { ClerkProfile } from "./clerk-responses.js";
import { createClerkStrategy } from "./clerk-strategy.server.js";
import type { SessionUser } from "./session-user.js";
import { finishSignIn, startSignIn } from "./sign-in.server.js";
import { browserSession } from "./browser-session.server.js";
import { type AuthContext, type Current, requestState } from "./request-state.server.js";
import { NO_STORE, notFound, redirect } from "../http/responses.js";

export type { DeviceSession } from "../session/session-store.server.js";
export type { AuthContext } from "./request-state.server.js";

/**
 * Clerk's `auth()` object on the server: who is signed in, the active organization, and `has()`.
 * On a page view it reads the session's KV copy; in an action, the authority.
 */
export interface AuthState extends ReturnType<typeof orgFields> {
  userId: string | null;
  has: Has;
}

/** What `protect` does when the check fails: a 404 (default), or a redirect to a path you choose. */
export interface ProtectOptions {
  redirectTo?: string;
}
/** Where a sign-out that could not be confirmed at the authority sends the browser. */
export const SIGN_OUT_INCOMPLETE_PATH = "/logout?status=incomplete";

/** Whether this GET of /logout is the page a sign-out that could not be confirmed leads to. */
export function isIncompleteSignOut(request: Request): boolean {
  const { searchParams } = new URL(request.url);
  const expected = new URL(SIGN_OUT_INCOMPLETE_PATH, request.url).searchParams;
  return [...expected].every(([name, value]) => searchParams.get(name) === value);
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
  const { authorityView, current, requireCurrent, signedOutHeaders, signInRedirect, getToken } =
    browserSession(request, context);

  /**
   * Writes the given public fields of the user kept in this session (after a change at Clerk),
   * and nothing else of it; false when the session is no longer live, or, with `updatedAt`
   * (Clerk's time of the change), when it already holds fields newer than that.
   */
  async function updateSessionUser(
    patch: Partial<SessionUser>,
    updatedAt: number | null = null,
  ): Promise<boolean> {
    const signedIn = await current();
    return signedIn !== null && state.store().updateUser(signedIn.idHash, patch, updatedAt);
  }

  async function getAuthState(): Promise<AuthState> {
    const signedIn = await current();
    return {
      userId: signedIn?.user.id ?? null,
      ...orgFields(signedIn?.organizations),
      has: hasFor(signedIn?.organizations),
    };
  }

  /** The signed-in session's organizations; a 404 when organizations are off. */
  async function requireOrganizations(): Promise<Current> {
    const signedIn = await requireCurrent();
    if (!config.organizations) throw notFound();
    return signedIn;
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
     * What the root loader sends every page: the user's public fields and, with organizations on,
     * the active organization and role. From the KV copy alone, like every view.
     */
    async getRootData(): Promise<RootData> {
      const signedIn = await current();
      if (!config.organizations) return { user: signedIn?.user ?? null };
      return { user: signedIn?.user ?? null, organizations: signedIn?.organizations ?? null };
    },

    /** Clerk's `auth()`: `userId`, `orgId`, `orgRole`, `orgSlug`, `orgPermissions` and `has()`. */
    getAuthState,

    /**
     * Signed in, and (with a check) holding the role or permission in the active organization.
     * In an action the check is made at the authority, so a demotion counts at once.
     * @throws a redirect to sign in when signed out; a 404 (or a redirect to
     *   `options.redirectTo`) when the check fails.
     */
    async protect(check?: HasCheck, options: ProtectOptions = {}): Promise<AuthState> {
      await requireCurrent();
      const auth = await getAuthState();
      if (check === undefined || auth.has(check)) return auth;
      if (options.redirectTo !== undefined) throw redirect(safeRedirect(options.redirectTo, "/"));
      throw notFound();
    },

    /**
     * The signed-in user's organizations for /org, from the authority (read from Clerk again
     * first while unknown and due).
     * @throws a redirect to sign in when signed out; a 404 when organizations are off.
     */
    async loadOrganizations(): Promise<OrganizationsView> {
      const { user, idHash } = await requireOrganizations();
      return state.organizations().list(user.id, idHash);
    },

    /**
     * Makes another of the user's organizations active for this session, checked at the
     * authority; a 404 outcome (nothing changed) when the user is not a member of it, or it does
     * not exist.
     * @throws a redirect to sign in when signed out; a 404 when organizations are off.
     */
    async switchOrganization(orgId: string): Promise<SwitchOutcome> {
      const { idHash } = await requireOrganizations();
      return state.organizations().switchTo(idHash, orgId);
    },

    /**
     * The active organization's members from Clerk, when the session's role (as the authority
     * holds it now) grants reading them.
     * @throws a redirect to sign in when signed out; a 404 when organizations are off.
     */
    async loadOrganizationMembers(): Promise<MembersOutcome> {
      const { idHash } = await requireOrganizations();
      const live = await authorityView(idHash);
      if (live === null) throw await signInRedirect();
      if (live === undefined) {
        return { ok: false, status: 424, message: "Your session cannot be checked right now." };
      }
      return state.organizations().members(live.organizations);
    },

    /**
     * Starts a sign-in at Clerk, or, when already signed in, goes straight to `redirectTo`.
     * @throws always: the redirect Response.
     */
    async login(): Promise<never> {
      const redirectTo = new URL(request.url).searchParams.get("redirectTo");
      const signedIn = await current();
      // The KV copy may outlive its session: /login asks the authority before trusting it, so a
      // stale copy cannot send its holder back to a page that sends them here again.
      if (signedIn && (await authorityView(signedIn.idHash)) !== null) {
        throw redirect(safeRedirect(redirectTo));
      }
      const expired = await signedOutHeaders();
      try {
        return await startSignIn(request, createClerkStrategy(config, state.client()), redirectTo);
      } catch (answer) {
        if (answer instanceof Response) {
          for (const cookie of expired.getSetCookie()) answer.headers.append("Set-Cookie", cookie);
        }
        throw answer;
      }
    },

    /** Finishes a sign-in: a new session and a redirect, or a redirect to the error page. */
    finishLogin(): Promise<Response> {
      return finishSignIn({
        request,
        strategy: createClerkStrategy(config, state.client()),
        store: state.store(),
        secrets,
        cf: context.cf,
        syncMemberships: config.organizations ? state.organizations().syncMemberships : null,
      });
    },

    /**
     * Ends this browser's session at the authority (the id comes from the cookie, so this works
     * even when KV cannot be read), removes its KV copy, revokes its refresh token in the
     * background and expires the cookie. Safe with no session or a dead one. When the authority
     * cannot confirm the end (it failed, or timed out and may still land), the cookie still goes,
     * the end is retried in the background, a pending sign-out cookie keeps the id for the
     * person's own retry, and the redirect goes to a page that says sign-out did not complete.
     */
    async logout(): Promise<Response> {
      const pendingId = await readPendingSignOutId(request, secrets);
      const id = (await readSessionId(request, secrets)) ?? pendingId;
      state.settle("current", Promise.resolve(null));
      const headers = new Headers(NO_STORE);
      headers.append("Set-Cookie", await expiredSessionCookieHeader(request, secrets));
      if (id !== null) {
        const idHash = await hashSessionId(id);
        const store = state.store();
        try {
          await store.end(idHash, "signed_out");
        } catch (error) {
          console.error(
            `Sign-out could not be confirmed at the session database (${errorName(error)})`,
          );
          store.retryLater("Sign-out", () => store.end(idHash, "signed_out"));
          headers.append(
            "Set-Cookie",
            await pendingSignOutCookieHeader(request, secrets, id, config.sessionMaxAgeSeconds),
          );
          return redirect(SIGN_OUT_INCOMPLETE_PATH, headers);
        }
      }
      if (pendingId !== null) {
        headers.append("Set-Cookie", await expiredPendingSignOutCookieHeader(request, secrets));
      }
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
      if (devices === null) {
        state.ended.mark();
        throw await signInRedirect();
      }
      return devices;
    },

    /**
     * Ends another live session of the signed-in user by handle; false for any other handle.
     * @throws when the authority cannot confirm the end; it is then retried in the background.
     */
    async revokeSession(handle: string): Promise<boolean> {
      const { idHash, user } = await requireCurrent();
      const store = state.store();
      const end = () => store.endByHandle(user.id, handle, idHash);
      return end().catch((error: unknown) => {
        store.retryLater("Signing out a device", end);
        throw error;
      });
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

    /**
     * Ends every live session of the signed-in user but this browser's; returns how many.
     * @throws when the authority cannot confirm the end; it is then retried in the background.
     */
    async revokeOtherSessions(): Promise<number> {
      const { idHash, user } = await requireCurrent();
      const store = state.store();
      const end = () => store.endAllForUser(user.id, "revoked_by_user", idHash);
      return end().catch((error: unknown) => {
        store.retryLater("Signing out other devices", end);
        throw error;
      });
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
