import type { AppConfig } from "../config/config.server.js";

/**
 * Set-Cookie headers the auth service wants on this request's answer whatever the route returns:
 * the session cookie with a fresh idle-clock stamp, or its expiry once the session ended. Keyed by
 * the request's AppConfig, which `handleEdgeRequest` reads afresh for each request, adds to the
 * answer and drops.
 */
const pending = new WeakMap<AppConfig, Map<string, string>>();

/** Sends `header` (a Set-Cookie for the cookie `name`) with this request's answer; the last wins. */
export function setResponseCookie(config: AppConfig, name: string, header: string): void {
  let cookies = pending.get(config);
  if (!cookies) {
    cookies = new Map();
    pending.set(config, cookies);
  }
  cookies.set(name, header);
}

/**
 * The answer with the cookies set for it, except those it already sets itself (a sign-in, a
 * sign-out, a redirect that expired the cookie): what the route said last is what it meant.
 */
export function withResponseCookies(response: Response, config: AppConfig): Response {
  const cookies = pending.get(config);
  pending.delete(config);
  if (!cookies || cookies.size === 0) return response;
  const already = new Set(response.headers.getSetCookie().map((cookie) => cookie.split("=")[0]));
  const missing = [...cookies].filter(([name]) => !already.has(name));
  if (missing.length === 0) return response;
  // A fetched answer (an asset, a proxied response) has immutable headers; copy it first.
  const answer = new Response(response.body, response);
  for (const [, header] of missing) answer.headers.append("Set-Cookie", header);
  return answer;
}
