import type { AppConfig } from "../config/config.server.js";
import { DeadlineError, withDeadline } from "../utils/deadline.js";
import { AuthError } from "./auth-error.js";
import {
  type ClerkProfile,
  type ClerkTokens,
  describeErrorBody,
  type ProviderFailure,
  parseClerkProfile,
  parseTokenResponse,
} from "./clerk-responses.js";

// Per call, body included: a sign-in's two calls (token, userinfo) stay well under 15 s even
// when both time out; Clerk usually answers in well under a second.
const DEFAULT_TIMEOUT_MS = 5000;

export type TokenTypeHint = "refresh_token" | "access_token";

/** The client's part of the checked bindings. */
export type ClerkOAuthSettings = Pick<
  AppConfig["clerk"],
  "origin" | "clientId" | "clientSecret" | "scopes"
>;

export type ClerkOAuthClientOptions = Partial<{
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
}>;

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
   * Trades a refresh token for new tokens (RFC 6749 §6); keeps it when Clerk issues no new one.
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
   * @throws {AuthError} `provider_unavailable`, or `revocation_refused` when Clerk refuses it.
   */
  revokeToken(token: string, hint?: TokenTypeHint): Promise<void>;
}

type Endpoint = ProviderFailure["endpoint"];

// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
function basicAuthorization(clientId: string, clientSecret: string): string {
  const formEncode = (value: string) => new URLSearchParams({ "": value }).toString().slice(1);
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

/** Releases a body we will not read, so the connection can be reused; an errored one is gone. */
function discardBody(response: Response): Promise<void> {
  return (response.body?.cancel() ?? Promise.resolve()).catch(() => {});
}

// A body that arrives but is not JSON is `{ ok: false }`, which the caller maps to its own code;
// one that breaks off mid-read is the provider being unavailable.
async function readJson(
  response: Response,
  endpoint: Endpoint,
): Promise<{ ok: true; value: unknown } | { ok: false }> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new AuthError("provider_unavailable", { cause: { endpoint, error } });
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * A fetch-only client for Clerk's OAuth endpoints, built once per request from checked settings.
 * Every call, body included, runs under one deadline; network failures, timeouts and 5xx become
 * `provider_unavailable`. Error messages never contain a secret, token, code or verifier.
 */
export function createClerkOAuthClient(
  settings: ClerkOAuthSettings,
  options: ClerkOAuthClientOptions = {},
): ClerkOAuthClient {
  const { origin, scopes } = settings;
  const { timeoutMs = DEFAULT_TIMEOUT_MS, now = Date.now } = options;
  const fetchFn = options.fetch ?? fetch;
  const authorization = basicAuthorization(settings.clientId, settings.clientSecret);

  // `read` sees only responses below 500, so it handles the protocol answers.
  async function call<T>(
    endpoint: Endpoint,
    path: string,
    init: RequestInit,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    try {
      return await withDeadline(`Clerk ${endpoint}`, timeoutMs, async (signal) => {
        let response: Response;
        try {
          // `redirect: "manual"`: these endpoints never redirect, and following one would replay
          // the credentials and the code to wherever it pointed.
          response = await fetchFn(new URL(path, origin), { ...init, redirect: "manual", signal });
        } catch (error) {
          throw new AuthError("provider_unavailable", { cause: { endpoint, error } });
        }
        if (response.status >= 500) {
          await discardBody(response);
          const cause = { endpoint, status: response.status };
          throw new AuthError("provider_unavailable", { cause });
        }
        return read(response);
      });
    } catch (error) {
      if (error instanceof DeadlineError) {
        throw new AuthError("provider_unavailable", { cause: { endpoint, error } });
      }
      throw error;
    }
  }

  function postForm<T>(
    endpoint: Endpoint,
    path: string,
    form: Record<string, string>,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const headers = {
      Authorization: authorization,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    };
    return call(endpoint, path, { method: "POST", headers, body: new URLSearchParams(form) }, read);
  }

  function requestTokens(form: Record<string, string>): Promise<ClerkTokens> {
    return postForm("token", "/oauth/token", form, async (response) => {
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
      const result = body.ok
        ? parseTokenResponse(body.value, { receivedAt: now(), requestedScope: scopes })
        : { ok: false as const, problem: "not JSON" };
      if (!result.ok) {
        throw new AuthError("token_exchange_failed", {
          cause: { ...failure, problem: result.problem },
        });
      }
      return result.tokens;
    });
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

    fetchUserInfo(accessToken) {
      const init = {
        method: "GET",
        headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      };
      return call("userinfo", "/oauth/userinfo", init, async (response) => {
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
      });
    },

    revokeToken(token, hint) {
      const form: Record<string, string> = hint ? { token, token_type_hint: hint } : { token };
      return postForm("revoke", "/oauth/token/revoke", form, async (response) => {
        if (response.ok) return discardBody(response);
        const body = await readJson(response, "revoke");
        const details = body.ok ? describeErrorBody(body.value) : {};
        throw new AuthError("revocation_refused", {
          cause: { endpoint: "revoke", status: response.status, ...details },
        });
      });
    },
  };
}
