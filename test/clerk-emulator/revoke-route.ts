import { authenticateClient } from "./client-auth";
import type { EmulatorContext } from "./context";
import { readOAuthForm } from "./oauth-form";
import { oauthError } from "./responses";

/**
 * RFC 7009: unknown tokens and tokens of other clients get the same empty 200, so the
 * endpoint cannot be used to probe which tokens exist.
 */
export async function handleRevoke(context: EmulatorContext, request: Request) {
  const form = await readOAuthForm(request);
  if (form instanceof Response) return form;
  const client = authenticateClient(context, request, form);
  if (client instanceof Response) return client;
  const token = form.get("token");
  if (!token) return oauthError(400, "invalid_request", "token is required.");

  const access = context.grants.findAccessToken(token);
  if (access?.clientId === client.clientId) access.revoked = true;
  const refresh = context.grants.findRefreshToken(token);
  if (refresh?.clientId === client.clientId) context.grants.revokeGrant(refresh.grantId);
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
}
