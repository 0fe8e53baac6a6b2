import type { RecordedRequest } from "./types";

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
