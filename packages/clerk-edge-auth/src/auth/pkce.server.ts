import { encodeBase64Url } from "../utils/base64url.js";

// 32 random bytes are 256 bits: far above RFC 9700 §4.7's "unguessable" bar for state, and
// exactly RFC 7636 §7.1's recommendation for the verifier.
const RANDOM_BYTES = 32;

function randomBase64Url(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
}

/** A fresh, single-use OAuth `state` value: 32 random bytes as 43 base64url characters. */
export function createState(): string {
  return randomBase64Url();
}

/**
 * A fresh PKCE code verifier: 32 random bytes as 43 base64url characters, which are all in
 * RFC 7636 §4.1's unreserved set and within its 43–128 length range.
 */
export function createCodeVerifier(): string {
  return randomBase64Url();
}

/** The S256 code challenge for a verifier, as RFC 7636 §4.2 defines it. */
export async function createCodeChallenge(verifier: string): Promise<string> {
  // §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))); the verifier is ASCII, so UTF-8 is ASCII.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return encodeBase64Url(new Uint8Array(digest));
}
