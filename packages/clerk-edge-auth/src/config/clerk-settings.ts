/**
 * The rules for Clerk's bindings: the origins the client secret, tokens and the Backend API key
 * are sent to, and the scopes asked for. Each parser returns null for a value it refuses;
 * readConfig turns that into a ConfigError naming the binding.
 */

// Plain http only reaches a server on this machine (the local emulator); anywhere else it would
// carry the client secret, tokens and the Backend API key over the network in clear text.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function isSafeOrigin(url: URL): boolean {
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * CLERK_DOMAIN as the origin of Clerk's Frontend API: a bare host such as `clerk.example.com`
 * means https, a full origin such as `http://127.0.0.1:4010` is used as is. Null for anything
 * else: paths, queries, credentials, other schemes, http to a host that is not loopback.
 */
export function parseClerkOrigin(domain: string): string | null {
  const value = domain.trim();
  if (value === "") return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const url = parseUrl(hasScheme ? value : `https://${value}`);
  if (url === null || !isSafeOrigin(url)) return null;
  // `new URL` drops an empty "?" or "#" and normalises away a lone "/", so the raw text decides.
  if (url.pathname !== "/" || /[/?#]/.test(value.replace(/^[a-z]+:\/\//i, "").replace(/\/$/, ""))) {
    return null;
  }
  return url.origin;
}

/** CLERK_API_URL as an origin (a trailing slash is fine); null under the same rules. */
export function parseApiOrigin(value: string): string | null {
  const url = parseUrl(value);
  if (url === null || !isSafeOrigin(url) || /[?#]/.test(value)) return null;
  return url.origin === value.replace(/\/$/, "") ? url.origin : null;
}

/**
 * CLERK_CALLBACK_URL is used verbatim, since Clerk compares redirect URIs by exact string; it
 * only has to be an absolute http(s) URL without credentials. It points at this app, so no
 * secret travels to it.
 */
export function isAbsoluteHttpUrl(value: string): boolean {
  const url = parseUrl(value);
  return (
    url !== null &&
    (url.protocol === "https:" || url.protocol === "http:") &&
    !url.username &&
    !url.password
  );
}

/** Clerk's userinfo needs both for a profile, so they are always asked for. */
const REQUIRED_SCOPES = ["profile", "email"] as const;

/**
 * `openid` because a standard OIDC server refuses userinfo without it, `offline_access` because
 * Clerk ties refresh tokens to it; `public_metadata` for the app's own use.
 */
export const DEFAULT_SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "public_metadata",
] as const;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * CLERK_SCOPES (separated by spaces or commas) with the required scopes added, each once; the
 * defaults when it is unset. Null when a scope is not an RFC 6749 scope token.
 */
export function parseScopes(value: string | null): string[] | null {
  if (value === null) return [...DEFAULT_SCOPES];
  const scopes = value.split(/[\s,]+/).filter(Boolean);
  if (!scopes.every((scope) => SCOPE_TOKEN.test(scope))) return null;
  return [...new Set([...REQUIRED_SCOPES, ...scopes])];
}
