import { AuthError } from "~/auth/auth-error";
import { type ClerkProfile, parseClerkProfile } from "~/auth/clerk-profile";
import type { ClerkTokens } from "~/auth/clerk-tokens";
import {
  describeErrorBody,
  discardBody,
  type ProviderFailure,
  readJson,
} from "~/auth/provider-response.server";
import { parseTokenResponse } from "~/auth/token-response.server";

/**
 * Per call. A sign-in makes two calls in a row (token, then userinfo), so even both timing out
 * stays under the contract's 15 s; Clerk usually answers in well under a second.
 */
export const DEFAULT_TIMEOUT_MS = 5000;

export type TokenTypeHint = "refresh_token" | "access_token";

export interface ClerkOAuthClientOptions {
  /** Clerk's Frontend API origin, e.g. `https://clerk.example.com`. */
  origin: string;
  clientId: string;
  clientSecret: string;
  /** The scope asked for; RFC 6749 §5.1 lets Clerk omit `scope` when it granted exactly this. */
  scopes: string[];
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface ClerkOAuthClient {
  /**
   * Redeems an authorization code with its PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5).
   * @throws {AuthError} `provider_unavailable` or `token_exchange_failed`.
   */
  exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<ClerkTokens>;
  /**
   * Trades a refresh token for new tokens (RFC 6749 §6), keeping the old refresh token when
   * Clerk does not rotate it.
   * @throws {AuthError} `invalid_grant`, `provider_unavailable` or `token_exchange_failed`.
   */
  refreshTokens(refreshToken: string): Promise<ClerkTokens>;
  /**
   * Reads the signed-in user from `/oauth/userinfo`.
   * @throws {AuthError} `provider_unavailable` or `userinfo_failed`.
   */
  fetchUserInfo(accessToken: string): Promise<ClerkProfile>;
  /**
   * Revokes a token at `/oauth/token/revoke` (RFC 7009).
   * @throws {AuthError} `provider_unavailable`, or `unexpected` when Clerk refuses the request.
   */
  revokeToken(token: string, hint?: TokenTypeHint): Promise<void>;
}

type Endpoint = ProviderFailure["endpoint"];

// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
function basicAuthorization(clientId: string, clientSecret: string): string {
  const formEncode = (value: string) => new URLSearchParams({ "": value }).toString().slice(1);
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

/**
 * A fetch-only client for Clerk's OAuth endpoints. Every call carries a deadline; network
 * failures, timeouts and 5xx become `provider_unavailable`. Error messages never contain a
 * secret, token, code or verifier.
 */
export function createClerkOAuthClient(options: ClerkOAuthClientOptions): ClerkOAuthClient {
  const { origin, scopes, timeoutMs = DEFAULT_TIMEOUT_MS, now = Date.now } = options;
  const fetchFn = options.fetch ?? fetch;
  const authorization = basicAuthorization(options.clientId, options.clientSecret);

  // Returns only responses below 500, so callers handle the protocol answers.
  async function send(endpoint: Endpoint, path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      // `redirect: "manual"`: these endpoints never redirect, and following one would replay the
      // credentials and the code to wherever it pointed.
      response = await fetchFn(new URL(path, origin), {
        ...init,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AuthError("provider_unavailable", { cause: { endpoint, error } });
    }
    if (response.status >= 500) {
      await discardBody(response);
      throw new AuthError("provider_unavailable", { cause: { endpoint, status: response.status } });
    }
    return response;
  }

  function postForm(endpoint: Endpoint, path: string, form: Record<string, string>) {
    return send(endpoint, path, {
      method: "POST",
      headers: {
        Authorization: authorization,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: new URLSearchParams(form),
    });
  }

  async function requestTokens(form: Record<string, string>): Promise<ClerkTokens> {
    const response = await postForm("token", "/oauth/token", form);
    const body = await readJson(response, "token");
    const failure: ProviderFailure = { endpoint: "token", status: response.status };
    if (!response.ok) {
      const details = body.ok ? describeErrorBody(body.value) : {};
      // A dead refresh token means "sign in again"; a dead code is just a failed sign-in.
      const isDeadRefreshToken =
        form.grant_type === "refresh_token" && details.error === "invalid_grant";
      throw new AuthError(isDeadRefreshToken ? "invalid_grant" : "token_exchange_failed", {
        cause: { ...failure, ...details },
      });
    }
    if (!body.ok) {
      throw new AuthError("token_exchange_failed", { cause: { ...failure, problem: "not JSON" } });
    }
    const result = parseTokenResponse(body.value, { receivedAt: now(), requestedScope: scopes });
    if (!result.ok) {
      throw new AuthError("token_exchange_failed", {
        cause: { ...failure, problem: result.problem },
      });
    }
    return result.tokens;
  }

  return {
    exchangeCode({ code, codeVerifier, redirectUri }) {
      return requestTokens({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
    },

    async refreshTokens(refreshToken) {
      const tokens = await requestTokens({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
      // RFC 6749 §6: without a new refresh token, the old one stays valid.
      return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
    },

    async fetchUserInfo(accessToken) {
      const response = await send("userinfo", "/oauth/userinfo", {
        method: "GET",
        headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      });
      const body = await readJson(response, "userinfo");
      const failure: ProviderFailure = { endpoint: "userinfo", status: response.status };
      if (!response.ok) {
        const details = body.ok ? describeErrorBody(body.value) : {};
        throw new AuthError("userinfo_failed", { cause: { ...failure, ...details } });
      }
      const profile = body.ok ? parseClerkProfile(body.value) : null;
      if (profile === null) {
        const problem = body.ok ? "sub and user_id are missing or differ" : "not JSON";
        throw new AuthError("userinfo_failed", { cause: { ...failure, problem } });
      }
      return profile;
    },

    async revokeToken(token, hint) {
      const form: Record<string, string> = hint ? { token, token_type_hint: hint } : { token };
      const response = await postForm("revoke", "/oauth/token/revoke", form);
      if (response.ok) {
        await discardBody(response);
        return;
      }
      const body = await readJson(response, "revoke");
      const details = body.ok ? describeErrorBody(body.value) : {};
      throw new AuthError("unexpected", {
        cause: { endpoint: "revoke", status: response.status, ...details },
      });
    },
  };
}
