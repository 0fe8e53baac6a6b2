/** What a page's loader or action answers: the data the page shows, and the HTTP status. */
export interface Outcome<T> {
  body: T;
  status: number;
}

/**
 * The one status for "a dependency failed, not the request", on every route (decision 007): Clerk
 * or the session database could not be used (a missing CLERK_SECRET_KEY included). 424 Failed
 * Dependency, below 500 because this app itself is fine.
 */
export const DEPENDENCY_FAILED_STATUS = 424;
