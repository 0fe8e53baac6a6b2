// The Clerk emulator's public surface: an in-process emulator (`createClerkEmulator`, whose `fetch`
// answers as Clerk would), the same over HTTP on loopback (`startClerkEmulator`), its seed data,
// and webhook signing for tests of a receiver.
export {
  createClerkEmulator,
  DEFAULT_CLIENT,
  DEFAULT_SECRET_KEY,
  SEED_USERS,
} from "./emulator";
export * from "./seed-organizations";
export { BACKEND_ONLY_MARKER, EDGE_USERS } from "./seed-users";
export {
  type ClerkEmulatorServerOptions,
  type RunningClerkEmulator,
  startClerkEmulator,
} from "./server";
export type * from "./organization-types";
export type * from "./types";
export { createWebhookSecret, signWebhook, type WebhookEvent, webhookKey } from "./webhooks";
