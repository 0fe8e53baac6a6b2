import { createSignedCookie, type SignedCookie } from "./signed-cookie.server.js";
import { isHttps } from "../utils/request-facts.js";

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
/** The id, then optionally `.` and the epoch second of the browser's last request (the idle clock). */
const COOKIE_VALUE_PATTERN = /^([0-9a-f]{32})(?:\.(\d{1,12}))?$/;

/** What the session cookie holds. */
export interface SessionCookieValue {
  id: string;
  /**
   * Epoch ms (whole seconds) of this browser's last request as the cookie last recorded it; null
   * for a cookie issued before the idle timeout existed.
   */
  activeAt: number | null;
}

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
    });
    cookies.set(cacheKey, cookie);
  }
  return cookie;
}

/** The session cookie's name for this request: `__Host-` prefixed over https. */
export function sessionCookieName(request: Request): string {
  return isHttps(request) ? SESSION_COOKIE_NAME.https : SESSION_COOKIE_NAME.http;
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
 * What the request's session cookie holds; null when there is none or it cannot be read (bad
 * signature, truncated, bad %-encoding, oversized, signed by a removed secret). Never throws.
 */
export async function readSessionCookie(
  request: Request,
  secrets: string[],
  names: CookieNames = SESSION_COOKIE_NAME,
): Promise<SessionCookieValue | null> {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  try {
    const value: unknown = await sessionCookie(secrets, isHttps(request), names).parse(header);
    const match = typeof value === "string" ? COOKIE_VALUE_PATTERN.exec(value) : null;
    if (!match?.[1]) return null;
    return { id: match[1], activeAt: match[2] === undefined ? null : Number(match[2]) * 1000 };
  } catch {
    return null;
  }
}

/** The session id the request's cookie holds; null when it cannot be read. Never throws. */
export async function readSessionId(request: Request, secrets: string[]): Promise<string | null> {
  return (await readSessionCookie(request, secrets))?.id ?? null;
}

/**
 * The Set-Cookie that hands the browser a session id, stamped with `activeAt` (the idle clock,
 * which the signature keeps honest), living until `expiresAt`.
 */
export function sessionCookieHeader(
  request: Request,
  secrets: string[],
  { id, activeAt, expiresAt }: { id: string; activeAt: number; expiresAt: number },
): Promise<string> {
  return sessionCookie(secrets, isHttps(request)).serialize(
    `${id}.${Math.floor(activeAt / 1000)}`,
    { maxAge: Math.max(1, Math.ceil((expiresAt - activeAt) / 1000)) },
  );
}

/** The Set-Cookie that removes the session cookie from the browser. */
export function expiredSessionCookieHeader(request: Request, secrets: string[]): Promise<string> {
  return sessionCookie(secrets, isHttps(request)).serialize("", {
    maxAge: 0,
    expires: new Date(0),
  });
}

/** The id a sign-out that could not be confirmed left behind; null when there is none. */
export async function readPendingSignOutId(
  request: Request,
  secrets: string[],
): Promise<string | null> {
  return (await readSessionCookie(request, secrets, SIGN_OUT_COOKIE_NAME))?.id ?? null;
}

/** The Set-Cookie that keeps `id` for a retried sign-out, as long as the session could live. */
export function pendingSignOutCookieHeader(
  request: Request,
  secrets: string[],
  id: string,
  maxAgeSeconds: number,
): Promise<string> {
  return sessionCookie(secrets, isHttps(request), SIGN_OUT_COOKIE_NAME).serialize(id, {
    maxAge: maxAgeSeconds,
  });
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
