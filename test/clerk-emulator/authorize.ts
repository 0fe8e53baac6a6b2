/**
 * `GET/POST /oauth/authorize`: request validation (client, redirect URI, scopes, PKCE), the sign-in
 * page round trip, and the code redirect; also `approve()`, the same without the HTML.
 */
import { base64UrlEncode, clerkError, htmlResponse, randomBase62, redirect } from "./http";
import {
  ORG_FIELD,
  ORG_SCOPE,
  pickableOrganizations,
  pickedOrganization,
} from "./organization-grant";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";
import type { ApproveParams, EmulatorClient, EmulatorContext, EmulatorUser } from "./types";

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

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A wrong-state fault imitates a tampered or mixed-up callback, which the client must reject. */
function redirectState(context: EmulatorContext, state: string | undefined) {
  if (!context.faults.take("authorize", ["wrong-state"])) return state;
  return `${state ?? ""}tampered_${randomBase62(12)}`;
}

export function issueCodeRedirect(
  context: EmulatorContext,
  request: ValidAuthorizeRequest,
  user: EmulatorUser,
  orgId?: string,
): string {
  const now = context.settings.now();
  user.lastSignInAt = now;
  const code = context.grants.issueCode(
    {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      userId: user.id,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      orgId,
    },
    now + context.settings.codeTtlSeconds * 1000,
  );
  return appendQuery(request.redirectUri, { code, state: redirectState(context, request.state) });
}

function chooseUser(
  context: EmulatorContext,
  form: URLSearchParams,
): EmulatorUser | { error: string } {
  const userId = form.get("user_id");
  if (userId) return allowedToSignIn(context.users.get(userId) ?? null);
  const email = form.get("email")?.trim();
  if (!email) return { error: "Choose a user or enter an email address to continue." };
  if (!EMAIL_PATTERN.test(email)) return { error: "Enter a valid email address." };
  return allowedToSignIn(
    context.users.findByEmail(email) ??
      context.users.createWithEmail(email, context.settings.now()),
  );
}

/** Clerk refuses to sign in a banned or locked user; the admin page can lift either. */
function allowedToSignIn(user: EmulatorUser | null): EmulatorUser | { error: string } {
  if (!user) return { error: "That user does not exist." };
  if (user.banned) return { error: "This account is banned. Unban it on /__admin to sign in." };
  if (user.locked) return { error: "This account is locked. Unlock it on /__admin to sign in." };
  return user;
}

function signInPage(
  context: EmulatorContext,
  request: ValidAuthorizeRequest,
  status: number,
  error?: string,
): Response {
  const organizationsOf = request.scope.includes(ORG_SCOPE)
    ? (user: EmulatorUser) => pickableOrganizations(context, user.id)
    : undefined;
  return htmlResponse(
    status,
    renderSignInPage(request, context.users.list(), { error, organizationsOf }),
  );
}

async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  return new URLSearchParams(await request.text());
}

export async function handleAuthorize(
  context: EmulatorContext,
  request: Request,
  url: URL,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "POST") {
    return clerkError(405, "method_not_allowed", "method not allowed", "Use GET or POST.");
  }
  const params = request.method === "GET" ? url.searchParams : await readForm(request);
  if (!params) {
    return htmlResponse(
      400,
      renderErrorPage("The form must be application/x-www-form-urlencoded."),
    );
  }
  const validation = validateAuthorize(
    params,
    context.settings.clients,
    context.organizations.enabled,
  );
  if (validation.kind === "no-redirect") {
    return htmlResponse(400, renderErrorPage(validation.message));
  }
  if (validation.kind === "error-redirect") return redirect(validation.location);

  const valid = validation.request;
  if (request.method === "GET") return signInPage(context, valid, 200);

  if (params.get("decision") === "deny") {
    return redirect(
      appendQuery(valid.redirectUri, {
        error: "access_denied",
        error_description: "The user denied access to the application.",
        state: redirectState(context, valid.state),
      }),
    );
  }
  const chosen = chooseUser(context, params);
  if ("error" in chosen) return signInPage(context, valid, 400, chosen.error);
  const picked = pickedOrganization(context, valid.scope, chosen.id, params.get(ORG_FIELD));
  if ("error" in picked) return signInPage(context, valid, 400, picked.error);
  return redirect(issueCodeRedirect(context, valid, chosen, picked.orgId));
}

/**
 * What the browser would be redirected to after choosing a user, without the HTML round trip.
 * Errors that may redirect come back as that error redirect; the others throw, as no URL exists.
 */
export function approveAuthorization(context: EmulatorContext, input: ApproveParams): string {
  const params = new URLSearchParams({ response_type: "code" });
  const clientId = input.clientId ?? context.settings.clients[0]?.clientId;
  const method = input.codeChallengeMethod ?? (input.codeChallenge ? "S256" : undefined);
  const optional: Array<[string, string | undefined]> = [
    ["client_id", clientId],
    ["redirect_uri", input.redirectUri],
    ["state", input.state],
    ["code_challenge", input.codeChallenge],
    ["code_challenge_method", method],
    ["scope", input.scope],
    ["nonce", input.nonce],
  ];
  for (const [name, value] of optional) if (value !== undefined) params.set(name, value);

  const validation = validateAuthorize(
    params,
    context.settings.clients,
    context.organizations.enabled,
  );
  if (validation.kind === "no-redirect") throw new Error(`approve(): ${validation.message}`);
  if (validation.kind === "error-redirect") return validation.location;

  const userId = input.userId ?? context.users.list()[0]?.id;
  const user = userId === undefined ? undefined : context.users.get(userId);
  if (!user) throw new Error(`approve(): no user with id ${String(userId)}`);
  const picked = pickedOrganization(context, validation.request.scope, user.id, input.orgId);
  if ("error" in picked) throw new Error(`approve(): ${user.id} is not in ${input.orgId}`);
  return issueCodeRedirect(context, validation.request, user, picked.orgId);
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
