import type { Cookie, CookieOptions, SignFunction, UnsignFunction } from "@remix-run/cloudflare";
import { createCookieFactory } from "@remix-run/server-runtime";

const encoder = new TextEncoder();
/** Far more secrets than any rotation keeps at once; the cap only bounds memory. */
const MAX_CACHED_KEYS = 16;
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC key for one secret, imported once per isolate. Keyed by the secret's own text, so a key
 * can only ever serve requests whose bindings hold that very secret; a rotated-out secret simply
 * stops being asked for.
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
  }
  return key;
}

// The wire format is Remix's own (`<base64 value>.<base64 HMAC-SHA256, no padding>`), so cookies
// signed by Remix's createCookie and by this module read each other.
const sign: SignFunction = async (value, secret) => {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(value));
  const mac = btoa(String.fromCharCode(...new Uint8Array(signature))).replace(/=+$/, "");
  return `${value}.${mac}`;
};

const unsign: UnsignFunction = async (signed, secret) => {
  const dot = signed.lastIndexOf(".");
  if (dot < 0) return false;
  const value = signed.slice(0, dot);
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = Uint8Array.from(atob(signed.slice(dot + 1)), (char) => char.charCodeAt(0));
  } catch {
    return false;
  }
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    encoder.encode(value),
  );
  return valid ? value : false;
};

/**
 * Remix's `createCookie`, with each signing key imported once per isolate instead of on every
 * parse and serialize: the same cookies, without a Web Crypto key import on each page view.
 */
export const createSignedCookie: (name: string, options?: CookieOptions) => Cookie =
  createCookieFactory({ sign, unsign });
