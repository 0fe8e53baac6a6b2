import type { Bindings } from "./app-harness";

export const SESSION_SECRET = "test-session-secret-0123456789abcdef";
export const CLIENT_SECRET = "test-client-secret-do-not-leak-4f9a";

/** A complete, valid set of bindings; tests override or remove entries. */
export function validBindings(overrides: Bindings = {}): Bindings {
  return {
    SESSION_SECRET,
    CLERK_DOMAIN: "http://127.0.0.1:9",
    CLERK_CLIENT_ID: "emulator_client_id",
    CLERK_CLIENT_SECRET: CLIENT_SECRET,
    ...overrides,
  };
}
