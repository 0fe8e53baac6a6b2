import { Strategy } from "remix-auth/strategy";
import type { AppConfig } from "../config/config.server.js";
import { nonEmptyStringOrNull } from "../utils/narrow.js";
import { safeRedirect } from "../utils/safe-redirect.js";
import { AuthError } from "./auth-error.js";
import type { ClerkProfile, ClerkTokens } from "./clerk-responses.js";
import { createFlowCookieStore, type FlowCookieStore } from "./flow-cookie.server.js";
import { type ClerkOAuthClient, createClerkOAuthClient } from "./oauth-client.server.js";
import { createCodeChallenge, createCodeVerifier, createState } from "./pkce.server.js";
import type { SessionUser } from "./session-user.js";

const CALLBACK_PATH = "/auth/clerk/callback";
const DEFAULT_REDIRECT = "/private";
// RFC 6749 §4.1.2.1 errors that mean "Clerk is having trouble", not "the user said no".
const PROVIDER_TROUBLE = new Set(["server_error", "temporarily_unavailable"]);

/**
 * Signs people in with Clerk's OAuth 2.0 provider: authorization code with state and PKCE S256,
 * the attempt kept in a signed per-attempt cookie, then the token and userinfo endpoints. It
 * takes settings readConfig has already checked, and does no I/O until a request asks for it.
 */
export class ClerkStrategy<User> extends Strategy<User, ClerkStrategy.VerifyOptions> {
  name = "clerk";

  private readonly settings: AppConfig["clerk"];
  private readonly defaultRedirectTo: string;
  private readonly now: () => number;
  private readonly flowCookies: FlowCookieStore;
  private readonly client: ClerkOAuthClient;

  constructor(
    options: ClerkStrategy.Options,
    verify: Strategy.VerifyFunction<User, ClerkStrategy.VerifyOptions>,
  ) {
    super(verify);
    this.settings = options.clerk;
    this.defaultRedirectTo = options.defaultRedirectTo ?? DEFAULT_REDIRECT;
    this.now = options.now ?? Date.now;
    this.flowCookies = createFlowCookieStore({
      secrets: options.cookieSecrets,
      now: this.now,
      fallbackRedirectTo: this.defaultRedirectTo,
    });
    this.client = options.client ?? createClerkOAuthClient(options.clerk, { now: this.now });
  }

  /**
   * Without `code`, `state` or `error` in the URL, starts a sign-in by throwing a 302 to Clerk;
   * otherwise finishes it and returns what `verify` returns.
   * @throws {Response} the redirect that starts the sign-in.
   * @throws {AuthError} when the callback cannot be completed; errors from `verify` pass through.
   */
  override async authenticate(request: Request): Promise<User> {
    const { searchParams } = new URL(request.url);
    const isCallback = ["code", "state", "error"].some((name) => searchParams.has(name));
    if (!isCallback) throw await this.start(request, searchParams.get("redirectTo"));

    const state = searchParams.get("state");
    if (state === null) throw new AuthError("state_mismatch");
    const flow = await this.flowCookies.read(request, state);
    if (flow === "missing") throw new AuthError("missing_flow_cookie");
    if (flow === "mismatch") throw new AuthError("state_mismatch");

    const error = searchParams.get("error");
    if (error !== null) {
      // Only the short error code goes into the cause; error_description is provider prose.
      const code = PROVIDER_TROUBLE.has(error) ? "provider_unavailable" : "provider_denied";
      throw new AuthError(code, { cause: { error: error.slice(0, 64) } });
    }
    const code = searchParams.get("code");
    if (code === null || code === "") throw new AuthError("missing_code");

    const tokens = await this.client.exchangeCode({
      code,
      codeVerifier: flow.verifier,
      redirectUri: this.redirectUri(request),
    });
    const profile = await this.client.fetchUserInfo(tokens.accessToken);
    return this.verify({ request, profile, tokens, redirectTo: flow.redirectTo });
  }

  /**
   * Expiring Set-Cookie headers for the callback's answer: "attempt" expires the attempt named
   * by the request's `state` (a failed sign-in), "all" every flow cookie the request carries (a
   * successful one, so abandoned attempts do not linger).
   */
  clearFlowCookies(request: Request, which: "attempt" | "all"): Promise<string[]> {
    if (which === "all") return this.flowCookies.clear(request, "all");
    const state = new URL(request.url).searchParams.get("state");
    return this.flowCookies.clear(request, { state });
  }

  // RFC 9700 §2.1: the same fixed redirect_uri on authorize and token requests; the default is
  // derived from the request URL, never from X-Forwarded-Host.
  private redirectUri(request: Request): string {
    return this.settings.callbackUrl ?? new URL(CALLBACK_PATH, request.url).href;
  }

  private async start(request: Request, redirectTo: string | null): Promise<Response> {
    const state = createState();
    const verifier = createCodeVerifier();
    const setCookies = await this.flowCookies.commit(request, {
      state,
      verifier,
      redirectTo: safeRedirect(redirectTo, this.defaultRedirectTo),
      createdAt: this.now(),
    });
    // Only these parameters: nothing from the /login query is forwarded (RFC 9700 §4.11).
    const url = new URL("/oauth/authorize", this.settings.origin);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri(request),
      scope: this.settings.scopes.join(" "),
      state,
      code_challenge: await createCodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const headers = new Headers({ Location: url.href, "Cache-Control": "no-store" });
    for (const setCookie of setCookies) headers.append("Set-Cookie", setCookie);
    return new Response(null, { status: 302, headers });
  }
}

export namespace ClerkStrategy {
  export interface Options {
    /** Checked by readConfig: Frontend API origin, client, callback URL and scopes. */
    clerk: AppConfig["clerk"];
    /** Sign the flow cookies: the first signs, all verify. */
    cookieSecrets: string[];
    /** Where to go after sign-in when `redirectTo` is absent, unsafe or too long. */
    defaultRedirectTo?: string;
    /** Exchanges the code and reads userinfo; default: a client of its own for `clerk`. */
    client?: ClerkOAuthClient;
    now?: () => number;
  }

  export interface VerifyOptions {
    request: Request;
    profile: ClerkProfile;
    tokens: ClerkTokens;
    /** The safe, same-origin path chosen when the sign-in started. */
    redirectTo: string;
  }
}

/** What a finished sign-in yields: who signed in, their tokens, and where they were going. */
export interface SignIn {
  user: SessionUser;
  tokens: ClerkTokens;
  redirectTo: string;
  /** The organization picked on Clerk's consent screen (`org_id` in userinfo), or null. */
  orgId: string | null;
}

/**
 * The Clerk strategy for this request's checked bindings; cheap, no I/O. Pass the request's
 * OAuth client so a sign-in uses the same one as refresh, revoke and userinfo.
 */
export function createClerkStrategy(
  config: AppConfig,
  client?: ClerkOAuthClient,
): ClerkStrategy<SignIn> {
  return new ClerkStrategy<SignIn>(
    { clerk: config.clerk, cookieSecrets: config.sessionSecrets, client },
    async ({ profile: { raw, ...user }, tokens, redirectTo }) => ({
      user,
      tokens,
      redirectTo,
      orgId: nonEmptyStringOrNull(raw.org_id),
    }),
  );
}
