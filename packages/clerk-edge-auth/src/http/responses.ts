/** Answers about the signed-in browser are never kept by any cache. */
export const NO_STORE = { "Cache-Control": "no-store" };

/** The answer for a check that fails or a feature that is off: as if the page were not there. */
export function notFound(): Response {
  return new Response("Not Found", {
    status: 404,
    headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** A redirect both frameworks follow when a loader or action throws or returns it. */
export function redirect(location: string, headers: HeadersInit = NO_STORE): Response {
  const redirected = new Headers(headers);
  redirected.set("Location", location);
  return new Response(null, { status: 302, headers: redirected });
}
