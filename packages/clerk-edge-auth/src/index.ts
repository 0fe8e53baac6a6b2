// The framework-free core, for server code only (loaders, actions, Worker entries). Adapters:
// `clerk-edge-auth/remix` and `clerk-edge-auth/react-router`; components and hooks:
// `clerk-edge-auth/remix/react` and `clerk-edge-auth/react-router/react`.
export {
  type Auth,
  type AuthContext,
  type AuthState,
  type ProtectOptions,
  createAuth,
  type DeviceSession,
  isIncompleteSignOut,
  SIGN_OUT_INCOMPLETE_PATH,
} from "./auth/auth.server.js";
export { AuthError, type AuthErrorCode } from "./auth/auth-error.js";
export { userInfoResponse } from "./auth/userinfo-response.server.js";
export {
  loadProfile,
  type ProfileLoad,
  type ProfileSave,
  saveProfile,
} from "./clerk/profile.server.js";
export { ConfigError } from "./config/config-error.js";
export { type AppConfig, ORGANIZATIONS_SCOPE, readConfig } from "./config/config.server.js";
export type { OrganizationMember } from "./organizations/clerk-membership.js";
export {
  MEMBER_LIST_PERMISSIONS,
  type MembersOutcome,
  type OrganizationsView,
  type SwitchOutcome,
} from "./organizations/organization-service.server.js";
export { FLOW_COOKIE_PREFIX, SECURE_FLOW_COOKIE_PREFIX } from "./auth/flow-cookie.server.js";
export { actOnDeviceList, loadDeviceList } from "./session/device-list.server.js";
export { SESSION_COOKIE_NAME } from "./session/session-cookie.server.js";
export { MAX_LIVE_SESSIONS_PER_USER } from "./session/session-store.server.js";
export { type PruneResult, pruneSessions } from "./session/session-pruning.server.js";
export type { Env as AuthBindings } from "./env.js";
export { handleEdgeRequest } from "./http/edge-handler.server.js";
export { DEPENDENCY_FAILED_STATUS, type Outcome } from "./http/page-answer.js";
export { PRIVATE_NO_STORE, privateNoStoreHeaders } from "./http/private-cache.js";
export {
  createDocumentNonce,
  documentContentSecurityPolicy,
} from "./http/security-headers.server.js";
export { errorName } from "./utils/request-facts.js";
export { safeRedirect } from "./utils/safe-redirect.js";
export * from "./browser.js";
