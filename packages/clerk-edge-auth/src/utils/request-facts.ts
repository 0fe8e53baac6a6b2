/** True when the request came over https: cookies then take the `__Host-` prefix and Secure. */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/** What a log line may say about a failure: its kind, never its message (which may hold data). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
