/**
 * For responses that show or depend on the signed-in user: no cache may keep them, not even the
 * browser's own, so Back after sign-out cannot show a signed-in page.
 */
export const PRIVATE_NO_STORE = { "Cache-Control": "private, no-store" } as const;

/** A route's `headers` export for such pages, in Remix and React Router alike. */
export const privateNoStoreHeaders = (): HeadersInit => PRIVATE_NO_STORE;
