// What both server and browser code may import: pure values and types, no server module behind them.
export {
  type AuthErrorCode,
  authErrorMessages,
  isAuthErrorCode,
} from "./auth/auth-error.js";
import type { SessionUser } from "./auth/session-user.js";
import type { DeviceSession } from "./session/session-store.server.js";
import type { OrganizationState } from "./organizations/organization-state.js";

export { displayName, type SessionUser } from "./auth/session-user.js";
export type { ProfileField } from "./clerk/profile-form.js";
export type { ProfileView } from "./clerk/profile-view.js";
export type { DeviceSession } from "./session/session-store.server.js";
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

/** The device list form's intents: end one other session by handle, or every other one. */
export const DEVICE_LIST_INTENTS = {
  revokeOne: "revoke-session",
  revokeOthers: "revoke-other-sessions",
} as const;

/** The device list page: the signed-in user's live sessions, or why they cannot be shown. */
export interface DeviceListView {
  sessions: DeviceSession[];
  error: string | null;
}

/** What a form post to the device list did, in words for the page. */
export interface DeviceListResult {
  ok: boolean;
  message: string;
}
/** The `intent` of the form on /org that switches the active organization (field `org`). */
export const SWITCH_ORG_INTENT = "switch-org";
