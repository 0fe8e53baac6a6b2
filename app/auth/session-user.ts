/**
 * The signed-in user as the app keeps them in the session and shows them in pages: public profile
 * fields only. Tokens live beside it in the KV record and never reach loaders' data or HTML.
 */
export interface SessionUser {
  id: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  username: string | null;
  imageUrl: string | null;
  publicMetadata: Record<string, unknown>;
}

/** The name a person would recognise: full name, then username, then email, then the id. */
export function displayName(user: SessionUser): string {
  return user.fullName ?? user.username ?? user.email ?? user.id;
}
