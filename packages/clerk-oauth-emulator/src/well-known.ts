/** Discovery documents, the JWKS and the id_token signer behind them. */
import { SUPPORTED_SCOPES } from "./authorize-request";
import { base64UrlEncode, base64UrlEncodeJson, jsonResponse, randomBase62 } from "./http";
import type { EmulatorContext } from "./types";

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
      "org_id",
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

export interface IdTokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
  jwks(): Promise<{ keys: JsonWebKey[] }>;
}

/** The RSA key is made on first use: most test runs never ask for `openid`. */
export function createIdTokenSigner(): IdTokenSigner {
  const kid = `ins_key_${randomBase62(16)}`;
  let keyPair: Promise<CryptoKeyPair> | undefined;
  const keys = () => {
    keyPair ??= crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    ) as Promise<CryptoKeyPair>;
    return keyPair;
  };
  return {
    async sign(claims) {
      const { privateKey } = await keys();
      const input = `${base64UrlEncodeJson({ alg: "RS256", typ: "JWT", kid })}.${base64UrlEncodeJson(claims)}`;
      const signature = await crypto.subtle.sign(
        "RSASSA-PKCS1-v1_5",
        privateKey,
        new TextEncoder().encode(input),
      );
      return `${input}.${base64UrlEncode(signature)}`;
    },
    async jwks() {
      const { publicKey } = await keys();
      const jwk = (await crypto.subtle.exportKey("jwk", publicKey)) as JsonWebKey;
      return { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" }] };
    },
  };
}
