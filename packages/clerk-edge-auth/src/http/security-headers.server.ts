import { encodeBase64Url } from "../utils/base64url.js";
import { isHttps } from "../utils/request-facts.js";

/** Headers every dynamic response carries; HTML documents add a nonce-based CSP in entry.server. */
const BASELINE: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** A year, and every subdomain: no sibling host can be reached over http to plant cookies. */
const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * Adds the baseline headers a response does not already set, keeping the route's own choices.
 * Pages here are rendered per visitor (a signed-in header, the user's name), so unless a route
 * says otherwise neither a shared cache nor the browser's own may keep one: Back after sign-out
 * must not show the signed-in page from the HTTP cache.
 */
export function withSecurityHeaders(response: Response, request: Request): Response {
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(BASELINE)) {
    if (!secured.headers.has(name)) secured.headers.set(name, value);
  }
  if (!secured.headers.has("Cache-Control")) {
    secured.headers.set("Cache-Control", "private, no-store");
  }
  if (isHttps(request)) {
    secured.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  return secured;
}

/**
 * The policy for HTML documents. Scripts run only with this response's nonce, so an injected
 * <script> cannot; styles and images come from this origin (avatars may be data: URIs or Clerk's
 * image host), and forms post only here.
 */
export function documentContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data: https://img.clerk.com",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** A fresh nonce for one HTML document: 128 random bits, base64url. */
export function createDocumentNonce(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
