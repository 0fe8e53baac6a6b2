import { randomTraceId } from "./random";

export interface ClerkError {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set("content-type", "application/json; charset=utf-8");
  return response;
}

/** Token responses carry credentials, so RFC 6749 §5.1 forbids caching them. */
export function noStoreJson(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const response = jsonResponse(status, body, headers);
  response.headers.set("cache-control", "no-store");
  response.headers.set("pragma", "no-cache");
  return response;
}

export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: HeadersInit = {},
): Response {
  return noStoreJson(status, { error, error_description: description }, headers);
}

export function clerkErrors(status: number, errors: ClerkError[], headers: HeadersInit = {}) {
  return jsonResponse(status, { errors, clerk_trace_id: randomTraceId() }, headers);
}

export function clerkError(
  status: number,
  code: string,
  message: string,
  longMessage: string,
  meta?: Record<string, unknown>,
): Response {
  const error: ClerkError = { message, long_message: longMessage, code };
  if (meta) error.meta = meta;
  return clerkErrors(status, [error]);
}

export function notFound(path: string): Response {
  return clerkError(404, "resource_not_found", "not found", `No resource found at ${path}.`);
}

export function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } });
}

/** Inline styles only and no framing: the page must stand alone and never leak the URL. */
export function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
    },
  });
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
