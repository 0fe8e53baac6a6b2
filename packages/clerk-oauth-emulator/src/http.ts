/**
 * HTTP helpers every endpoint shares: JSON, OAuth and Clerk error answers, form and client
 * authentication parsing, encodings, random ids, and the request log.
 */
import type { EmulatorClient, EmulatorContext, RecordedRequest } from "./types";

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

export function base64UrlEncode(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = "";
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function base64UrlEncodeJson(value: unknown): string {
  return base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)));
}

/** Secrets are compared without an early exit so response timing says nothing about them. */
export function safeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < left.length; i++) diff |= (left[i] ?? 0) ^ (right[i % right.length] ?? 0);
  return diff === 0;
}

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Rejection sampling keeps every character equally likely (256 is not a multiple of 62). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function randomId(prefix: string): string {
  return `${prefix}_2${randomBase62(26)}`;
}

export function randomTraceId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

const REDACTED_FORM_FIELDS = new Set([
  "client_secret",
  "code_verifier",
  "refresh_token",
  "token",
  "client_assertion",
]);

function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    // Only the scheme is kept: tests assert how the app authenticated, never with what.
    out[name] = name === "authorization" ? `${value.trim().split(/\s+/)[0] ?? ""} …` : value;
  }
  return out;
}

/** Reads a clone so the route handler still gets the untouched body. */
export async function recordRequest(request: Request, url: URL): Promise<RecordedRequest> {
  const entry: RecordedRequest = {
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: redactedHeaders(request.headers),
  };
  if (request.method === "GET" || request.method === "HEAD") return entry;
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(await request.clone().text());
    entry.form = Object.fromEntries(
      [...form].map(([name, value]) => [
        name,
        REDACTED_FORM_FIELDS.has(name) ? "[redacted]" : value,
      ]),
    );
  } else if (type.startsWith("application/json")) {
    const text = await request.clone().text();
    try {
      entry.json = JSON.parse(text);
    } catch {
      entry.json = text;
    }
  }
  return entry;
}

/** Token and revocation requests must be POSTed forms whose parameters appear once (RFC 6749 §3.2). */
export async function readOAuthForm(request: Request): Promise<URLSearchParams | Response> {
  if (request.method !== "POST") {
    return oauthError(405, "invalid_request", "Use POST.", { allow: "POST" });
  }
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return oauthError(400, "invalid_request", "Send application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(await request.text());
  const names = [...form.keys()];
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) {
    return oauthError(400, "invalid_request", `Repeated parameters: ${repeated.join(", ")}.`);
  }
  return form;
}

/** RFC 6749 §2.3.1: both halves are form-urlencoded before being joined with ":". */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

function decodeBasic(encoded: string): { id: string; secret: string } | undefined {
  let text: string;
  try {
    text = new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  const id = formDecode(text.slice(0, colon));
  const secret = formDecode(text.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

function invalidClient(description: string, usedBasic: boolean): Response {
  // RFC 6749 §5.2 requires the challenge whenever the client tried the Authorization header.
  const headers: HeadersInit = usedBasic
    ? { "www-authenticate": 'Basic realm="Clerk emulator"' }
    : {};
  return oauthError(401, "invalid_client", description, headers);
}

/** client_secret_basic and client_secret_post are treated alike, as Clerk does. */
export function authenticateClient(
  context: EmulatorContext,
  request: Request,
  form: URLSearchParams,
): EmulatorClient | Response {
  const header = request.headers.get("authorization");
  const bodyId = form.get("client_id");
  let credentials: { id: string | null; secret: string | null } = {
    id: bodyId,
    secret: form.get("client_secret"),
  };
  if (header !== null) {
    const match = /^Basic\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      return invalidClient("Only HTTP Basic client authentication is accepted.", true);
    if (credentials.secret !== null) {
      return oauthError(400, "invalid_request", "Use one client authentication method, not two.");
    }
    const decoded = decodeBasic(match[1]);
    if (!decoded) return invalidClient("The Basic credentials are malformed.", true);
    if (bodyId !== null && bodyId !== decoded.id) {
      return invalidClient("The client_id in the body differs from the Basic credentials.", true);
    }
    credentials = decoded;
  }
  if (!credentials.id || credentials.secret === null) {
    return invalidClient("Client authentication is required.", header !== null);
  }
  const client = context.settings.clients.find((c) => c.clientId === credentials.id);
  if (!client || !safeEqual(credentials.secret, client.clientSecret)) {
    return invalidClient("Client authentication failed.", header !== null);
  }
  return client;
}
