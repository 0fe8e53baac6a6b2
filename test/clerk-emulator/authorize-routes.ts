import { type ValidAuthorizeRequest, validateAuthorize } from "./authorize-request";
import type { EmulatorContext } from "./context";
import { randomBase62 } from "./random";
import { appendQuery } from "./redirect-url";
import { clerkError, htmlResponse, redirect } from "./responses";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";
import type { EmulatorUser } from "./types";

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
  if (userId) return context.users.get(userId) ?? { error: "That user does not exist." };
  const email = form.get("email")?.trim();
  if (!email) return { error: "Choose a user or enter an email address to continue." };
  if (!EMAIL_PATTERN.test(email)) return { error: "Enter a valid email address." };
  return (
    context.users.findByEmail(email) ?? context.users.createWithEmail(email, context.settings.now())
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
  const validation = validateAuthorize(params, context.settings.clients);
  if (validation.kind === "no-redirect") {
    return htmlResponse(400, renderErrorPage(validation.message));
  }
  if (validation.kind === "error-redirect") return redirect(validation.location);

  const valid = validation.request;
  const users = context.users.list();
  if (request.method === "GET") return htmlResponse(200, renderSignInPage(valid, users));

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
  if ("error" in chosen) return htmlResponse(400, renderSignInPage(valid, users, chosen.error));
  return redirect(issueCodeRedirect(context, valid, chosen));
}
