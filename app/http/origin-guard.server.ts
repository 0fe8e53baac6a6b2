const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser sent from another origin, before it reaches any
 * Remix action: SameSite=Lax already keeps the session cookie off cross-site POSTs, and this is the
 * second line (CLERK.md §2). Remix's own check would answer 500; this answers 403.
 * Requests without Origin or Sec-Fetch-Site (curl, server-to-server) carry no ambient browser
 * credentials worth forging and pass.
 */
export function rejectCrossOrigin(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("Origin");
  const fetchSite = request.headers.get("Sec-Fetch-Site");
  const crossOrigin =
    (origin !== null && origin !== new URL(request.url).origin) || fetchSite === "cross-site";
  if (!crossOrigin) return null;
  return new Response("Cross-origin form submissions are not accepted.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
