// What both server and browser code may import: pure values and types, no server module behind them.
export {
  type AuthErrorCode,
  authErrorMessages,
  isAuthErrorCode,
} from "./auth/auth-error.js";
import type { SessionUser } from "./auth/session-user.js";
import type { OrganizationState } from "./organizations/organization-state.js";

export { displayName, type SessionUser } from "./auth/session-user.js";
export type { ProfileField } from "./clerk/profile-form.js";
export type { ProfileView } from "./clerk/profile-view.js";
export { type Has, type HasCheck, hasFor } from "./organizations/has.js";
export type {
  ActiveOrganization,
  OrganizationState,
} from "./organizations/organization-state.js";

/**
 * What the root loader sends every page: the signed-in user's public fields, or null, and, only
 * when organizations are on, the session's organizations (null when signed out).
 */
export interface RootData {
  user: SessionUser | null;
  organizations?: OrganizationState | null;
}

/** The sign-in URL that comes back to `path` afterwards. */
export function signInHref(path: string): string {
  return `/login?${new URLSearchParams({ redirectTo: path })}`;
}

/** The `intent` of the form on /org that switches the active organization (field `org`). */
export const SWITCH_ORG_INTENT = "switch-org";
