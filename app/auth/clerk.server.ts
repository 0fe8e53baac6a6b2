import type { AppConfig } from "~/config/config.server";
import { ClerkStrategy } from "./clerk-strategy.server";
import type { ClerkTokens } from "./clerk-tokens";
import type { SessionUser } from "./session-user";

/** What a finished sign-in yields: who signed in, their tokens, and where they were going. */
export interface SignIn {
  user: SessionUser;
  tokens: ClerkTokens;
  redirectTo: string;
}

/** Builds the Clerk strategy for this request's bindings; cheap, no I/O. */
export function createClerkStrategy(config: AppConfig): ClerkStrategy<SignIn> {
  return new ClerkStrategy<SignIn>(
    {
      domain: config.clerk.origin,
      clientId: config.clerk.clientId,
      clientSecret: config.clerk.clientSecret,
      callbackUrl: config.clerk.callbackUrl,
      scopes: config.clerk.scopes,
      cookieSecrets: config.sessionSecrets,
    },
    async ({ profile: { raw: _raw, ...user }, tokens, redirectTo }) => ({
      user,
      tokens,
      redirectTo,
    }),
  );
}
