/**
 * What makes an authorize request valid: its parameters, client and exact redirect URI, state,
 * PKCE (S256 only) and scopes; and how a redirect back to the client is built.
 */
import { base64UrlEncode } from "./http";
import { ORG_SCOPE } from "./organization-grant";
import type { EmulatorClient } from "./types";

export const AUTHORIZE_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "nonce",
  "prompt",
  "response_mode",
] as const;

export interface ValidAuthorizeRequest {
  client: EmulatorClient;
  redirectUri: string;
  scope: string[];
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  /** The request as received, so the sign-in page can post it back unchanged. */
  params: Array<[string, string]>;
}

export type AuthorizeValidation =
  | { kind: "ok"; request: ValidAuthorizeRequest }
  /** Neither the client nor its redirect_uri can be trusted, so nothing may redirect (RFC 6749 §4.1.2.1). */
  | { kind: "no-redirect"; message: string }
  | { kind: "error-redirect"; location: string };

const MIN_STATE_LENGTH = 8;

/** `organizationsEnabled` false refuses `user:org:read`, as an instance without them does. */
export function validateAuthorize(
  params: URLSearchParams,
  clients: readonly EmulatorClient[],
  organizationsEnabled = true,
): AuthorizeValidation {
  const duplicated = AUTHORIZE_PARAMS.filter((name) => params.getAll(name).length > 1);
  const single = (name: string) =>
    duplicated.includes(name as (typeof AUTHORIZE_PARAMS)[number])
      ? undefined
      : (params.get(name) ?? undefined);

  const clientId = single("client_id");
  const client = clients.find((candidate) => candidate.clientId === clientId);
  if (!clientId || !client) {
    return { kind: "no-redirect", message: "The client_id is missing or unknown." };
  }
  const redirectUri = single("redirect_uri");
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return {
      kind: "no-redirect",
      message: "The redirect_uri is missing or not registered for this client (exact match).",
    };
  }

  const state = single("state");
  const fail = (error: string, description: string): AuthorizeValidation => ({
    kind: "error-redirect",
    location: appendQuery(redirectUri, { error, error_description: description, state }),
  });

  if (duplicated.length > 0) {
    return fail("invalid_request", `Parameters sent more than once: ${duplicated.join(", ")}.`);
  }
  const responseType = single("response_type");
  if (!responseType) return fail("invalid_request", "response_type is required.");
  if (responseType !== "code") {
    return fail("unsupported_response_type", "Only response_type=code is supported.");
  }
  const responseMode = single("response_mode");
  if (responseMode !== undefined && responseMode !== "query") {
    return fail("invalid_request", "The emulator only supports response_mode=query.");
  }

  const codeChallenge = single("code_challenge");
  const method = single("code_challenge_method");
  if (method !== undefined && method !== "S256") {
    return fail("invalid_request", "code_challenge_method must be S256.");
  }
  if ((codeChallenge === undefined) !== (method === undefined)) {
    return fail("invalid_request", "code_challenge and code_challenge_method=S256 go together.");
  }
  if (codeChallenge !== undefined && !isValidS256Challenge(codeChallenge)) {
    return fail("invalid_request", "code_challenge must be 43 base64url characters.");
  }

  if (state === undefined && codeChallenge === undefined) {
    return fail("invalid_request", "state is required when PKCE is not used.");
  }
  if (state !== undefined && state.length < MIN_STATE_LENGTH) {
    return fail("invalid_request", `state must be at least ${MIN_STATE_LENGTH} characters.`);
  }

  const scope = parseScope(single("scope"));
  const unknown = unknownScopes(scope).concat(
    organizationsEnabled ? [] : scope.filter((entry) => entry === ORG_SCOPE),
  );
  if (unknown.length > 0) return fail("invalid_scope", `Unknown scopes: ${unknown.join(" ")}.`);

  // The emulator never has a signed-in Clerk session, so a silent request can never succeed.
  if (single("prompt") === "none") return fail("login_required", "The user must sign in.");

  return {
    kind: "ok",
    request: {
      client,
      redirectUri,
      scope,
      state,
      codeChallenge,
      nonce: single("nonce"),
      params: AUTHORIZE_PARAMS.flatMap((name) => {
        const value = params.get(name);
        return value === null ? [] : [[name, value] as [string, string]];
      }),
    },
  };
}

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is always a 32-byte digest, i.e. 43 base64url characters. */
const S256_CHALLENGE_PATTERN = /^[A-Za-z0-9\-_]{43}$/;

export function isValidS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE_PATTERN.test(challenge);
}

export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER_PATTERN.test(verifier);
}

/** RFC 7636 §4.6, computed here rather than shared with app/ so one bug cannot pass both sides. */
export async function verifierMatchesChallenge(verifier: string, challenge: string) {
  if (!isValidCodeVerifier(verifier)) return false;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64UrlEncode(digest) === challenge;
}

/**
 * Appends by hand rather than through URLSearchParams, which would re-encode the
 * client's own query string and break its exact-match checks.
 */
export function appendQuery(redirectUri: string, params: Record<string, string | undefined>) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  const separator = !redirectUri.includes("?")
    ? "?"
    : redirectUri.endsWith("?") || redirectUri.endsWith("&")
      ? ""
      : "&";
  return `${redirectUri}${separator}${query.toString()}`;
}

export const SUPPORTED_SCOPES = [
  "openid",
  "profile",
  "email",
  "public_metadata",
  "private_metadata",
  "offline_access",
  ORG_SCOPE,
] as const;

export const DEFAULT_SCOPE = "profile email";

/** Splits on any run of spaces and drops duplicates, keeping the caller's order. */
export function parseScope(raw: string | null | undefined): string[] {
  const value = raw?.trim() ? raw : DEFAULT_SCOPE;
  return [...new Set(value.split(" ").filter(Boolean))];
}

export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((scope) => !(SUPPORTED_SCOPES as readonly string[]).includes(scope));
}
