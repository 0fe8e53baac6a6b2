import { isValidS256Challenge } from "./pkce-check";
import { appendQuery } from "./redirect-url";
import { parseScope, unknownScopes } from "./scopes";
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

export function validateAuthorize(
  params: URLSearchParams,
  clients: readonly EmulatorClient[],
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
  const unknown = unknownScopes(scope);
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
