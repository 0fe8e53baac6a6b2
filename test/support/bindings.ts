import { DEFAULT_CLIENT, DEFAULT_SECRET_KEY } from "clerk-oauth-emulator";
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

/** The bindings that point the app at a Clerk emulator with its default client and secret key. */
export function emulatorBindings(clerkOrigin: string): Bindings {
  return {
    SESSION_SECRET,
    CLERK_DOMAIN: clerkOrigin,
    CLERK_CLIENT_ID: DEFAULT_CLIENT.clientId,
    CLERK_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    CLERK_SECRET_KEY: DEFAULT_SECRET_KEY,
    CLERK_API_URL: clerkOrigin,
  };
}
