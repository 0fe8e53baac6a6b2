import { base64UrlEncode, base64UrlEncodeJson } from "./encoding";
import { randomBase62 } from "./random";

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
