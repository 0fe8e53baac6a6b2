import { createSignedCookie, type SignedCookie } from "./signed-cookie.server.js";
import { isHttps } from "../utils/request-facts.js";

/** How long a sign-in lasts: the cookie's Max-Age and the KV copy's TTL (fixed, not rolling). */
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;
/**
 * Over https the `__Host-` prefix makes browsers refuse the cookie from any other host, so a
 * sibling subdomain (a preview deployment, say) cannot plant one with `Domain=`. Plain http (local
 * development) cannot carry the prefix.
 */
export const SESSION_COOKIE_NAME = { http: "__session", https: "__Host-session" } as const;
/**
 * Holds the id of a session whose sign-out could not be confirmed, once the session cookie itself
 * is gone: only `POST /logout` reads it, to end that session when the person tries again.
 */
export const SIGN_OUT_COOKIE_NAME = { http: "__signout", https: "__Host-signout" } as const;
type CookieNames = typeof SESSION_COOKIE_NAME | typeof SIGN_OUT_COOKIE_NAME;
/** OWASP asks for at least 64 bits of entropy in a session id; we use 128. */
const SESSION_ID_BYTES = 16;
const SESSION_ID_PATTERN = /^[0-9a-f]{32}$/;

const cookies = new Map<string, SignedCookie>();

function sessionCookie(
  secrets: string[],
  secure: boolean,
  names: CookieNames = SESSION_COOKIE_NAME,
): SignedCookie {
  const name = secure ? names.https : names.http;
  const cacheKey = `${name}\n${secrets.join("\n")}`;
  let cookie = cookies.get(cacheKey);
  if (!cookie) {
    if (cookies.size >= 16) cookies.clear();
    cookie = createSignedCookie(name, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure,
      secrets,
      maxAge: SESSION_TTL_SECONDS,
    });
    cookies.set(cacheKey, cookie);
  }
  return cookie;
}

/** A new session id: 128 random bits as hex. */
export function createSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES));
  return toHex(bytes);
}

/** The SHA-256 of a session id, hex: the only form in which either store knows a session. */
export async function hashSessionId(id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The session id the request's cookie holds; null when there is none or it cannot be read (bad
 * signature, truncated, bad %-encoding, oversized, signed by a removed secret). Never throws.
 */
export async function readSessionId(
  request: Request,
  secrets: string[],
  names: CookieNames = SESSION_COOKIE_NAME,
): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  try {
    const id: unknown = await sessionCookie(secrets, isHttps(request), names).parse(header);
    return typeof id === "string" && SESSION_ID_PATTERN.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The Set-Cookie that hands the browser a session id, living `maxAgeSeconds`. */
export function sessionCookieHeader(
  request: Request,
  secrets: string[],
  id: string,
  maxAgeSeconds = SESSION_TTL_SECONDS,
): Promise<string> {
  return sessionCookie(secrets, isHttps(request)).serialize(id, { maxAge: maxAgeSeconds });
}

/** The Set-Cookie that removes the session cookie from the browser. */
export function expiredSessionCookieHeader(request: Request, secrets: string[]): Promise<string> {
  return sessionCookie(secrets, isHttps(request)).serialize("", {
    maxAge: 0,
    expires: new Date(0),
  });
}

/** The id a sign-out that could not be confirmed left behind; null when there is none. */
export function readPendingSignOutId(request: Request, secrets: string[]): Promise<string | null> {
  return readSessionId(request, secrets, SIGN_OUT_COOKIE_NAME);
}

/** The Set-Cookie that keeps `id` for a retried sign-out, as long as the session could live. */
export function pendingSignOutCookieHeader(
  request: Request,
  secrets: string[],
  id: string,
): Promise<string> {
  return sessionCookie(secrets, isHttps(request), SIGN_OUT_COOKIE_NAME).serialize(id);
}

/** The Set-Cookie that removes the pending sign-out cookie. */
export function expiredPendingSignOutCookieHeader(
  request: Request,
  secrets: string[],
): Promise<string> {
  return sessionCookie(secrets, isHttps(request), SIGN_OUT_COOKIE_NAME).serialize("", {
    maxAge: 0,
    expires: new Date(0),
  });
}
