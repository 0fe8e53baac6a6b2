/**
 * `GET/POST /oauth/authorize`: the sign-in page round trip (a user, and with `user:org:read` an
 * organization) and the code redirect; also `approve()`, the same without the HTML.
 */
import { appendQuery, type ValidAuthorizeRequest, validateAuthorize } from "./authorize-request";
import { clerkError, htmlResponse, randomBase62, redirect } from "./http";
import {
  ORG_FIELD,
  ORG_SCOPE,
  pickableOrganizations,
  pickedOrganization,
} from "./organization-grant";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";
import type { ApproveParams, EmulatorContext, EmulatorUser } from "./types";

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
