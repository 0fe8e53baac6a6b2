/**
 * Turns CLERK_DOMAIN into the origin of Clerk's Frontend API: a bare host such as
 * `clerk.example.com` means https, a full origin such as `http://127.0.0.1:4010` is used as is.
 * Returns null for anything else (paths, queries, credentials, other schemes).
 */
export function parseClerkOrigin(domain: string): string | null {
  const value = domain.trim();
  if (value === "") return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `https://${value}`);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== "/" || /[/?#]/.test(value.replace(/^[a-z]+:\/\//i, "").replace(/\/$/, ""))) {
    return null;
  }
  return url.origin;
}
