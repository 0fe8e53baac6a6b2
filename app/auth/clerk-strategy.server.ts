import { Strategy } from "remix-auth/strategy";
import { AuthError } from "~/auth/auth-error";
import type { ClerkProfile } from "~/auth/clerk-profile";
import type { ClerkTokens } from "~/auth/clerk-tokens";
import { createFlowCookieStore, type FlowCookieStore } from "~/auth/flow-cookie.server";
import {
  type ClerkOAuthClient,
  createClerkOAuthClient,
  type TokenTypeHint,
} from "~/auth/oauth-client.server";
import { resolveStrategyOptions } from "~/auth/clerk-strategy-options.server";
import { createCodeChallenge, createCodeVerifier, createState } from "~/auth/pkce.server";
import { safeRedirect } from "~/utils/safe-redirect";

const CALLBACK_PATH = "/auth/clerk/callback";
// RFC 6749 §4.1.2.1 errors that mean "Clerk is having trouble", not "the user said no".
const PROVIDER_TROUBLE = new Set(["server_error", "temporarily_unavailable"]);

/**
 * Signs people in with Clerk's OAuth 2.0 provider: authorization code with state and PKCE S256,
 * the attempt kept in a signed per-attempt cookie, then the token and userinfo endpoints.
 */
export class ClerkStrategy<User> extends Strategy<User, ClerkStrategy.VerifyOptions> {
  name = "clerk";

  private readonly origin: string;
  private readonly clientId: string;
  private readonly callbackUrl: string | null;
  private readonly scopes: string[];
  private readonly defaultRedirectTo: string;
  private readonly now: () => number;
  private readonly flowCookies: FlowCookieStore;
  private readonly client: ClerkOAuthClient;

  /**
   * Validates and normalises the options; does no I/O, so it is cheap to build per request.
   * @throws {ConfigError} when the domain, client id, client secret, callback URL or cookie
   * secrets are unusable.
   */
  constructor(
    options: ClerkStrategy.ConstructorOptions,
    verify: Strategy.VerifyFunction<User, ClerkStrategy.VerifyOptions>,
  ) {
    super(verify);
    const resolved = resolveStrategyOptions(options);
    this.origin = resolved.origin;
    this.clientId = resolved.clientId;
    this.callbackUrl = resolved.callbackUrl;
    this.scopes = resolved.scopes;
    this.defaultRedirectTo = resolved.defaultRedirectTo;
    this.now = options.now ?? Date.now;
    this.flowCookies = createFlowCookieStore({ secrets: resolved.cookieSecrets, now: this.now });
    this.client = createClerkOAuthClient({
      origin: resolved.origin,
      clientId: resolved.clientId,
      clientSecret: resolved.clientSecret,
      scopes: resolved.scopes,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      now: this.now,
    });
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
   * The expiring Set-Cookie for the attempt named by the request's `state`, to send with the
   * callback's answer whether it succeeded or not; null when there is no usable `state`.
   */
  clearFlowCookie(request: Request): Promise<string | null> {
    const state = new URL(request.url).searchParams.get("state");
    return state === null ? Promise.resolve(null) : this.flowCookies.clear(request, state);
  }

  /**
   * Uses a refresh token (RFC 6749 §6); keeps the old one when Clerk does not issue a new one.
   * @throws {AuthError} `invalid_grant` when the refresh token is dead, `provider_unavailable`
   * or `token_exchange_failed` otherwise.
   */
  refreshTokens(refreshToken: string): Promise<ClerkTokens> {
    return this.client.refreshTokens(refreshToken);
  }

  /**
   * Revokes a refresh token or an opaque access token (RFC 7009), e.g. at logout.
   * @throws {AuthError} `provider_unavailable`, or `unexpected` when Clerk refuses the request.
   */
  revokeToken(token: string, hint?: TokenTypeHint): Promise<void> {
    return this.client.revokeToken(token, hint);
  }

  // RFC 9700 §2.1: the same fixed redirect_uri on authorize and token requests; the default is
  // derived from the request URL, never from X-Forwarded-Host.
  private redirectUri(request: Request): string {
    return this.callbackUrl ?? new URL(CALLBACK_PATH, request.url).href;
  }

  private async start(request: Request, redirectTo: string | null): Promise<Response> {
    const state = createState();
    const verifier = createCodeVerifier();
    const setCookie = await this.flowCookies.commit(request, {
      state,
      verifier,
      redirectTo: safeRedirect(redirectTo, this.defaultRedirectTo),
      createdAt: this.now(),
    });
    // Only these parameters: nothing from the /login query is forwarded (RFC 9700 §4.11).
    const url = new URL("/oauth/authorize", this.origin);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.clientId,
      redirect_uri: this.redirectUri(request),
      scope: this.scopes.join(" "),
      state,
      code_challenge: await createCodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    return new Response(null, {
      status: 302,
      headers: { Location: url.href, "Set-Cookie": setCookie, "Cache-Control": "no-store" },
    });
  }
}

export namespace ClerkStrategy {
  interface BaseOptions {
    /** CLERK_DOMAIN: a bare host (https implied) or a full http(s) origin. */
    domain: string;
    clientSecret: string;
    /** Default `["profile", "email", "public_metadata"]`; `profile` and `email` are always added. */
    scopes?: string[];
    /** Sign the flow cookie: the first signs, all verify. */
    cookieSecrets: string[];
    /** Where to go after sign-in when `redirectTo` is absent or unsafe. Default `/private`. */
    defaultRedirectTo?: string;
    fetch?: typeof fetch;
    /** Deadline per call to Clerk, in ms. Default 5000. */
    timeoutMs?: number;
    now?: () => number;
  }

  /** remix-auth-oauth2 spells it `clientID`; either is accepted, not both. */
  type ClientIdOption =
    | { clientId: string; clientID?: never }
    | { clientID: string; clientId?: never };

  /**
   * The registered redirect URI, used verbatim; default: request origin + `/auth/clerk/callback`.
   * remix-auth-oauth2 spells it `callbackURL`; either is accepted, not both.
   */
  type CallbackUrlOption =
    | { callbackUrl?: string | null; callbackURL?: never }
    | { callbackURL?: string | null; callbackUrl?: never };

  export type ConstructorOptions = BaseOptions & ClientIdOption & CallbackUrlOption;

  export interface VerifyOptions {
    request: Request;
    profile: ClerkProfile;
    tokens: ClerkTokens;
    /** The safe, same-origin path chosen when the sign-in started. */
    redirectTo: string;
  }
}
