import { validateAuthorize } from "./authorize-request";
import { issueCodeRedirect } from "./authorize-routes";
import type { EmulatorContext } from "./context";
import type { ApproveParams } from "./types";

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

  const validation = validateAuthorize(params, context.settings.clients);
  if (validation.kind === "no-redirect") throw new Error(`approve(): ${validation.message}`);
  if (validation.kind === "error-redirect") return validation.location;

  const userId = input.userId ?? context.users.list()[0]?.id;
  const user = userId === undefined ? undefined : context.users.get(userId);
  if (!user) throw new Error(`approve(): no user with id ${String(userId)}`);
  return issueCodeRedirect(context, validation.request, user);
}
