import { describeDevice, describePlace } from "../session/device.js";
import {
  hashSessionId,
  readSessionId,
  sessionCookieHeader,
} from "../session/session-cookie.server.js";
import type { SessionStore } from "../session/session-store.server.js";
import { errorName } from "../utils/request-facts.js";
import { AuthError, authErrorCodeOf } from "./auth-error.js";
import type { ClerkStrategy, SignIn } from "./clerk-strategy.server.js";

const SIGN_IN_ERROR_PATH = "/auth/error";

/**
 * Starts a sign-in at Clerk.
 * @throws always: the redirect Response to Clerk's authorize endpoint.
 */
export async function startSignIn(
  request: Request,
  strategy: ClerkStrategy<SignIn>,
  redirectTo: string | null,
): Promise<never> {
  // The strategy reads `code`, `state` or `error` as a callback; /login only ever starts one, so
  // it sees nothing of the query but redirectTo.
  const start = new URL(request.url);
  start.search = redirectTo === null ? "" : new URLSearchParams({ redirectTo }).toString();
  await strategy.authenticate(new Request(start, request));
  throw new AuthError("unexpected", { cause: "the strategy returned without redirecting" });
}

interface FinishOptions {
  request: Request;
  strategy: ClerkStrategy<SignIn>;
  store: SessionStore;
  secrets: string[];
  cf: IncomingRequestCfProperties | undefined;
  /** With organizations on: stores the user's memberships before the session starts. */
  syncMemberships: ((userId: string) => Promise<void>) | null;
}

/**
 * The callback's answer: on success a brand-new session (at the authority, then its KV copy) and
 * a 302 to where the visitor was going, with every pending sign-in attempt expired; on any failure
 * a 302 to the error page with the failure's code, no session, and this attempt expired. Never throws.
 */
export async function finishSignIn({
  request,
  strategy,
  store,
  secrets,
  cf,
  syncMemberships,
}: FinishOptions): Promise<Response> {
  // The callback URL holds a one-time code: keep it out of Referer headers and caches.
  const headers = new Headers({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  const startedAt = Date.now();
  try {
    // Without state the strategy would read this as the start of a new sign-in.
    if (!new URL(request.url).searchParams.has("state")) throw new AuthError("state_mismatch");
    const signIn = await strategy.authenticate(request);
    // A new id at every sign-in, never a pre-login one (no session fixation); a session this
    // browser already had ends here.
    const preLoginId = await readSessionId(request, secrets);
    if (preLoginId) await store.end(await hashSessionId(preLoginId), "replaced");
    if (syncMemberships) await syncMemberships(signIn.user.id);
    const session = await store.create({
      ...(syncMemberships && { activeOrgId: signIn.orgId }),
      user: signIn.user,
      tokens: signIn.tokens,
      device: describeDevice(request.headers.get("User-Agent")),
      place: describePlace(cf),
      startedAt,
    });
    store.pruneLater();
    for (const expired of await strategy.clearFlowCookies(request, "all")) {
      headers.append("Set-Cookie", expired);
    }
    headers.append(
      "Set-Cookie",
      await sessionCookieHeader(request, secrets, {
        id: session.id,
        activeAt: session.createdAt,
        expiresAt: session.expiresAt,
      }),
    );
    headers.set("Location", signIn.redirectTo);
  } catch (error) {
    const expired = await strategy.clearFlowCookies(request, "attempt").catch(() => []);
    for (const cookie of expired) headers.append("Set-Cookie", cookie);
    const code = authErrorCodeOf(error);
    if (code === "unexpected") console.error(`Sign-in failed unexpectedly (${errorName(error)})`);
    else console.warn(`Sign-in failed: ${code}`);
    headers.set("Location", `${SIGN_IN_ERROR_PATH}?code=${code}`);
  }
  return new Response(null, { status: 302, headers });
}
