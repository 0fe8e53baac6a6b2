import { parseClerkOrigin } from "~/auth/clerk-origin";
import { DEFAULT_SCOPES, withRequiredScopes } from "~/auth/clerk-scopes";
import type { Env } from "~/env";
import { ConfigError } from "./config-error";

export const DEFAULT_CLERK_API_URL = "https://api.clerk.com";

/** The bindings of one request, checked and with defaults applied. */
export interface AppConfig {
  sessionKv: KVNamespace;
  /** The first signs, all verify: prepend a new secret to rotate. */
  sessionSecrets: string[];
  clerk: {
    domain: string;
    origin: string;
    clientId: string;
    clientSecret: string;
    /** CLERK_CALLBACK_URL verbatim, or null to use the request origin + /auth/clerk/callback. */
    callbackUrl: string | null;
    scopes: string[];
  };
  backendApi: {
    /** Null when CLERK_SECRET_KEY is unset: features that need it say so. */
    secretKey: string | null;
    apiUrl: string;
  };
}

const secretHowTo = (name: string) =>
  `Set it in .dev.vars locally; in production run \`wrangler pages secret put ${name}\` (Pages) or \`wrangler secret put ${name} -c wrangler.workers.toml\` (Workers).`;
const varHowTo = (name: string) =>
  `Set it in .dev.vars locally, or as ${name} under [vars] in wrangler.toml and wrangler.workers.toml.`;

/**
 * Checks the bindings of one request and fills in the defaults of CONTRACT.md.
 * @throws {ConfigError} naming the first missing or malformed binding, never its value.
 */
export function readConfig(env: Env): AppConfig {
  return {
    sessionKv: readKv(env.SESSION_KV),
    sessionSecrets: readSecretList(env.SESSION_SECRET),
    clerk: {
      domain: required(env.CLERK_DOMAIN, "CLERK_DOMAIN", varHowTo),
      origin: readClerkOrigin(env.CLERK_DOMAIN),
      clientId: required(env.CLERK_CLIENT_ID, "CLERK_CLIENT_ID", varHowTo),
      clientSecret: required(env.CLERK_CLIENT_SECRET, "CLERK_CLIENT_SECRET", secretHowTo),
      callbackUrl: readCallbackUrl(env.CLERK_CALLBACK_URL),
      scopes: readScopes(env.CLERK_SCOPES),
    },
    backendApi: {
      secretKey: optional(env.CLERK_SECRET_KEY),
      apiUrl: readApiUrl(env.CLERK_API_URL),
    },
  };
}

function readKv(value: unknown): KVNamespace {
  const isKv =
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<KVNamespace>).get === "function" &&
    typeof (value as Partial<KVNamespace>).put === "function";
  if (!isKv) {
    throw new ConfigError(
      "SESSION_KV",
      "is not bound to a KV namespace",
      'Add a [[kv_namespaces]] entry with binding = "SESSION_KV" to wrangler.toml and wrangler.workers.toml (create one with `wrangler kv namespace create SESSION_KV`).',
    );
  }
  return value as KVNamespace;
}

function readSecretList(value: unknown): string[] {
  const list = required(value, "SESSION_SECRET", secretHowTo)
    .split(",")
    .map((secret) => secret.trim());
  if (list.some((secret) => secret === "")) {
    throw new ConfigError(
      "SESSION_SECRET",
      "has an empty entry: it must be one or more secrets separated by commas, the first of which signs",
      secretHowTo("SESSION_SECRET"),
    );
  }
  return list;
}

function readClerkOrigin(value: unknown): string {
  const origin = typeof value === "string" ? parseClerkOrigin(value) : null;
  if (origin === null) {
    throw new ConfigError(
      "CLERK_DOMAIN",
      "must be a host such as clerk.example.com (https implied) or an origin such as http://127.0.0.1:4010",
      varHowTo("CLERK_DOMAIN"),
    );
  }
  return origin;
}

function readCallbackUrl(value: unknown): string | null {
  const raw = optional(value);
  if (raw === null) return null;
  if (!isHttpUrl(raw)) {
    throw new ConfigError(
      "CLERK_CALLBACK_URL",
      "must be the absolute http(s) redirect URI registered with the Clerk OAuth application",
      varHowTo("CLERK_CALLBACK_URL"),
    );
  }
  return raw;
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function readScopes(value: unknown): string[] {
  const raw = optional(value);
  const scopes = raw === null ? [...DEFAULT_SCOPES] : raw.split(/[\s,]+/).filter(Boolean);
  if (!scopes.every((scope) => SCOPE_TOKEN.test(scope))) {
    throw new ConfigError(
      "CLERK_SCOPES",
      'must be scope names separated by spaces, such as "profile email public_metadata"',
      varHowTo("CLERK_SCOPES"),
    );
  }
  return withRequiredScopes(scopes);
}

function readApiUrl(value: unknown): string {
  const raw = optional(value);
  if (raw === null) return DEFAULT_CLERK_API_URL;
  // `new URL` drops an empty "?" or "#", so the raw text is checked for them too.
  if (!isHttpUrl(raw) || new URL(raw).origin !== raw.replace(/\/$/, "") || /[?#]/.test(raw)) {
    throw new ConfigError(
      "CLERK_API_URL",
      "must be an origin such as https://api.clerk.com, with no path",
      varHowTo("CLERK_API_URL"),
    );
  }
  return new URL(raw).origin;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password
    );
  } catch {
    return false;
  }
}

function optional(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function required(value: unknown, name: string, howTo: (name: string) => string): string {
  const text = optional(value);
  if (text === null) throw new ConfigError(name, "is not set", howTo(name));
  return text;
}
