/**
 * The bindings listed in the README as Workers hands them over. Every value is optional here on purpose:
 * a binding can be missing at run time, and `readConfig` is the one place that turns this loose
 * shape into a checked `AppConfig`.
 */
export interface Env {
  SESSION_KV?: KVNamespace;
  SESSION_DB?: D1Database;
  SESSION_SECRET?: string;
  /** Seconds; `[vars]` in wrangler.toml hands a number, .dev.vars text. */
  SESSION_MAX_AGE?: string | number;
  SESSION_IDLE_TIMEOUT?: string | number;
  CLERK_DOMAIN?: string;
  CLERK_CLIENT_ID?: string;
  CLERK_CLIENT_SECRET?: string;
  CLERK_CALLBACK_URL?: string;
  CLERK_SCOPES?: string;
  CLERK_SECRET_KEY?: string;
  CLERK_API_URL?: string;
  CLERK_WEBHOOK_SIGNING_SECRET?: string;
}
