import type { ClerkProfile } from "./clerk-responses.js";

/**
 * The signed-in user as the app keeps them in the session and shows them in pages: public profile
 * fields only. Tokens live at the session authority alone and never reach loaders' data or HTML.
 */
export type SessionUser = Omit<ClerkProfile, "raw">;

/** The name a person would recognise: full name, then username, then email, then the id. */
export function displayName(user: SessionUser): string {
  return user.fullName ?? user.username ?? user.email ?? user.id;
}
