import { Authenticator } from "remix-auth";
import type { KvSessionStorage } from "~/session/session-storage.server";
import { AuthError, authErrorCodeOf } from "./auth-error";
import type { ClerkStrategy } from "./clerk-strategy.server";
import type { SignIn } from "./clerk.server";

const SIGN_IN_ERROR_PATH = "/auth/error";

/** remix-auth's Authenticator with the Clerk strategy registered under its name, `clerk`. */
export function authenticatorFor(strategy: ClerkStrategy<SignIn>): Authenticator<SignIn> {
  return new Authenticator<SignIn>().use(strategy);
}

/**
 * The callback's answer: on success a brand-new session and a 302 to where the visitor was going;
 * on any failure a 302 to the error page with the failure's code and no session. Either way the
 * attempt's flow cookie is cleared. Never throws.
 */
export async function finishSignIn(
  request: Request,
  strategy: ClerkStrategy<SignIn>,
  storage: KvSessionStorage,
): Promise<Response> {
  // The callback URL holds a one-time code: keep it out of Referer headers and caches (RFC 9700 §4.2).
  const headers = new Headers({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  const clearFlow = await strategy.clearFlowCookie(request).catch(() => null);
  if (clearFlow) headers.append("Set-Cookie", clearFlow);
  try {
    // Without state the strategy would read this as the start of a new sign-in.
    if (!new URL(request.url).searchParams.has("state")) throw new AuthError("state_mismatch");
    const signIn = await authenticatorFor(strategy).authenticate("clerk", request);
    // A new id at every sign-in, never a pre-login one: no session fixation (OWASP). The session
    // cookie is the last thing added, so a failure before it leaves no session behind.
    const preLoginId = await storage.readSessionId(request);
    if (preLoginId) await storage.deleteById(preLoginId);
    const fresh = await storage.getSession(null);
    fresh.set("user", signIn.user);
    fresh.set("tokens", signIn.tokens);
    fresh.set("signedInAt", Date.now());
    headers.append("Set-Cookie", await storage.commitSession(fresh));
    headers.set("Location", signIn.redirectTo);
  } catch (error) {
    const code = authErrorCodeOf(error);
    if (code === "unexpected") console.error("Sign-in failed unexpectedly", error);
    else console.error(`Sign-in failed: ${code}`);
    headers.set("Location", `${SIGN_IN_ERROR_PATH}?code=${code}`);
  }
  return new Response(null, { status: 302, headers });
}
