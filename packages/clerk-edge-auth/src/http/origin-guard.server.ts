const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser sent from another origin, before it reaches any
 * Remix action: SameSite=Lax already keeps the session cookie off cross-site POSTs, and this is the
 * second line of defence against cross-site request forgery. Requests without Origin or Sec-Fetch-Site (curl, server-to-server)
 * carry no ambient browser credentials worth forging and pass.
 */
export function rejectCrossOrigin(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("Origin");
  const crossSite = request.headers.get("Sec-Fetch-Site") === "cross-site";
  if (!crossSite && (origin === null || isSameOrigin(origin, request))) return null;
  return new Response("Cross-origin form submissions are not accepted.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function isSameOrigin(origin: string, request: Request): boolean {
  if (origin !== new URL(request.url).origin) return false;
  // Remix makes the same check against X-Forwarded-Host or Host and answers 500 when they
  // disagree with Origin; refusing those here keeps such a request a 403.
  const forwardedHost = request.headers.get("X-Forwarded-Host")?.split(",")[0]?.trim();
  const host = forwardedHost || request.headers.get("Host");
  return host === new URL(origin).host;
}
