import { parse as parseCookieHeader, type SerializeOptions, serialize } from "cookie";

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
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

function toBinary(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return binary;
}

// The wire format is Remix's and React Router's own signed cookie: the value is
// base64(UTF-8 JSON), then `.` and the base64 HMAC-SHA256 of that text without padding, then the
// whole percent-encoded as a cookie value. So cookies signed by either framework's createCookie
// and by this module read each other, and sessions signed before the package existed stay valid.
function encodeValue(value: unknown): string {
  return btoa(toBinary(encoder.encode(JSON.stringify(value))));
}

function decodeValue(encoded: string): unknown {
  try {
    return JSON.parse(strictUtf8.decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))));
  } catch {
    // What the frameworks do with a signed value that is not JSON: an empty object.
    return {};
  }
}

async function sign(value: string, secret: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(value));
  return `${value}.${btoa(toBinary(new Uint8Array(signature))).replace(/=+$/, "")}`;
}

async function unsign(signed: string, secret: string): Promise<string | null> {
  const dot = signed.lastIndexOf(".");
  if (dot < 0) return null;
  const value = signed.slice(0, dot);
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = Uint8Array.from(atob(signed.slice(dot + 1)), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    encoder.encode(value),
  );
  return valid ? value : null;
}

export interface SignedCookieOptions extends Omit<SerializeOptions, "encode"> {
  /** The first signs, every one verifies: prepend a new secret to rotate. */
  secrets: string[];
}

export interface SignedCookie {
  readonly name: string;
  /**
   * The value of this cookie in a Cookie header: null when absent or signed by no listed secret,
   * `""` when sent empty.
   */
  parse(cookieHeader: string | null): Promise<unknown>;
  /** The Set-Cookie header value that hands the browser `value`, signed by the first secret. */
  serialize(value: unknown, overrides?: Omit<SerializeOptions, "encode">): Promise<string>;
}

/**
 * A signed cookie on Web Crypto alone, each signing key imported once per isolate instead of on
 * every parse and serialize. Path=/ and SameSite=Lax unless the options say otherwise.
 */
export function createSignedCookie(
  name: string,
  { secrets, ...options }: SignedCookieOptions,
): SignedCookie {
  const attributes: SerializeOptions = { path: "/", sameSite: "lax", ...options };
  return {
    name,
    async parse(cookieHeader) {
      if (!cookieHeader) return null;
      const sent = parseCookieHeader(cookieHeader)[name];
      if (sent === undefined) return null;
      if (sent === "") return "";
      for (const secret of secrets) {
        const value = await unsign(sent, secret);
        if (value !== null) return decodeValue(value);
      }
      return null;
    },
    async serialize(value, overrides) {
      const signed = value === "" ? "" : await sign(encodeValue(value), secrets[0] ?? "");
      return serialize(name, signed, { ...attributes, ...overrides });
    },
  };
}
