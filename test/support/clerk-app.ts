import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import { type ClerkEmulatorOptions, DEFAULT_CLIENT, type EmulatorUser } from "clerk-oauth-emulator";
import { APP_ORIGIN, type AppHarness, type Bindings, startApp } from "./app-harness";
import { emulatorBindings } from "./bindings";

export interface ClerkApp {
  app: AppHarness;
  clerk: RunningClerkEmulator;
  close(): Promise<void>;
}

/**
 * The built app in workerd wired to a fresh Clerk emulator over real HTTP on 127.0.0.1: the
 * emulator's default OAuth client, with the app's callback registered.
 */
export async function startClerkApp({
  bindings = {},
  bundle,
  users,
  emulator,
}: {
  bindings?: Bindings;
  bundle?: "pages" | "counting";
  /** The emulator's users; default its seed users. */
  users?: EmulatorUser[];
  /** More emulator options, such as its organizations and memberships. */
  emulator?: Omit<ClerkEmulatorOptions, "clients" | "users">;
} = {}): Promise<ClerkApp> {
  const clerk = await startClerkEmulator({
    ...emulator,
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${APP_ORIGIN}/auth/clerk/callback`] }],
    users,
  });
  const app = await startApp({ ...emulatorBindings(clerk.origin), ...bindings }, { bundle });
  return {
    app,
    clerk,
    async close() {
      await app.close();
      await clerk.close();
    },
  };
}
