import type { EmulatorContext } from "./context";
import { jsonResponse } from "./responses";
import { SUPPORTED_SCOPES } from "./scopes";

/** Built from the request origin, so the same emulator works on any host and port. */
export function discoveryDocument(origin: string) {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    userinfo_endpoint: `${origin}/oauth/userinfo`,
    revocation_endpoint: `${origin}/oauth/token/revoke`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nonce",
      "email",
      "email_verified",
      "name",
      "given_name",
      "family_name",
      "preferred_username",
      "picture",
    ],
    code_challenge_methods_supported: ["S256"],
    backchannel_logout_supported: false,
    frontchannel_logout_supported: false,
  };
}

export async function handleWellKnown(
  context: EmulatorContext,
  request: Request,
  url: URL,
): Promise<Response | undefined> {
  if (request.method !== "GET") return undefined;
  switch (url.pathname) {
    case "/.well-known/openid-configuration":
    case "/.well-known/oauth-authorization-server":
      return jsonResponse(200, discoveryDocument(url.origin));
    case "/.well-known/jwks.json":
      return jsonResponse(200, await context.idTokens.jwks());
    default:
      return undefined;
  }
}
