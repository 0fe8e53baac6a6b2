import { parseClerkOrigin } from "~/auth/clerk-origin";
import { DEFAULT_SCOPES, withRequiredScopes } from "~/auth/clerk-scopes";
import type { ClerkStrategy } from "~/auth/clerk-strategy.server";
import { ConfigError } from "~/config/config-error";

/** The strategy's options after validation, with defaults filled in. */
export interface ResolvedStrategyOptions {
  origin: string;
  clientId: string;
  clientSecret: string;
  /** null: derive it from the request origin. */
  callbackUrl: string | null;
  scopes: string[];
  cookieSecrets: string[];
  defaultRedirectTo: string;
}

function requireSetting(binding: string, value: string, howToSet: string): string {
  if (value.trim() === "") throw new ConfigError(binding, "is empty", howToSet);
  return value;
}

function resolveOrigin(domain: string): string {
  const origin = parseClerkOrigin(domain);
  if (origin === null) {
    throw new ConfigError(
      "CLERK_DOMAIN",
      "is not a host name or an http(s) origin",
      "Set it to your Clerk Frontend API host, such as clerk.example.com, or a full origin such as http://127.0.0.1:4010.",
    );
  }
  return origin;
}

// Used verbatim: RFC 9700 §2.1 has Clerk compare redirect URIs by exact string match.
function resolveCallbackUrl(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) {
    throw new ConfigError(
      "CLERK_CALLBACK_URL",
      "is not an absolute http(s) URL",
      "Set it to the redirect URI registered with the Clerk OAuth application, or leave it unset.",
    );
  }
  return value;
}

function resolveCookieSecrets(secrets: string[]): string[] {
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) {
    throw new ConfigError(
      "SESSION_SECRET",
      "has no secret",
      "Set it to one or more long random strings, comma-separated; the first one signs.",
    );
  }
  return usable;
}

function resolveScopes(scopes: readonly string[]): string[] {
  const requested = scopes.flatMap((scope) => scope.split(/\s+/)).filter(Boolean);
  return withRequiredScopes(requested);
}

/**
 * Validates the strategy's options and fills in defaults, accepting remix-auth-oauth2's
 * `clientID`/`callbackURL` spellings. Never includes a value in an error, as it may be a secret.
 * @throws {ConfigError} naming the binding that is unusable.
 */
export function resolveStrategyOptions(
  options: ClerkStrategy.ConstructorOptions,
): ResolvedStrategyOptions {
  return {
    origin: resolveOrigin(options.domain),
    clientId: requireSetting(
      "CLERK_CLIENT_ID",
      options.clientId ?? options.clientID,
      "Set it to the client_id of your Clerk OAuth application.",
    ),
    clientSecret: requireSetting(
      "CLERK_CLIENT_SECRET",
      options.clientSecret,
      "Set it with `wrangler pages secret put CLERK_CLIENT_SECRET` (or .dev.vars locally).",
    ),
    callbackUrl: resolveCallbackUrl(options.callbackUrl ?? options.callbackURL),
    scopes: resolveScopes(options.scopes ?? DEFAULT_SCOPES),
    cookieSecrets: resolveCookieSecrets(options.cookieSecrets),
    defaultRedirectTo: options.defaultRedirectTo ?? "/private",
  };
}
