import type { Env } from "../env.js";
import {
  isAbsoluteHttpUrl,
  parseApiOrigin,
  parseClerkOrigin,
  parseScopes,
} from "./clerk-settings.js";
import { ConfigError } from "./config-error.js";
import { decodeBase64 } from "../utils/base64url.js";

export const DEFAULT_CLERK_API_URL = "https://api.clerk.com";

/** The bindings of one request, checked and with defaults applied. */
export interface AppConfig {
  sessionKv: KVNamespace;
  /** The session authority: every change to a session is made here first. */
  sessionDb: D1Database;
  /** The first signs, all verify: prepend a new secret to rotate. */
  sessionSecrets: string[];
  /** The absolute lifetime of a sign-in: the cookie's Max-Age and the bound on its KV copy's TTL. */
  sessionMaxAgeSeconds: number;
  /** How long a session may go without a request before it ends; null: no idle timeout. */
  sessionIdleTimeoutSeconds: number | null;
  clerk: {
    /** Clerk's Frontend API origin: https, or http only on a loopback host. */
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
  /** The HMAC key of Clerk's webhook endpoint (decoded `whsec_…`); null: webhooks are refused. */
  webhookSigningKey: Uint8Array | null;
  /**
   * Organizations are on: CLERK_SCOPES asks for `user:org:read` and CLERK_SECRET_KEY is set (the
   * roles and permissions come from the Backend API). Off, nothing of them is read or stored.
   */
  organizations: boolean;
}

/** The scope that makes Clerk's consent screen offer an organization (and turns them on here). */
export const ORGANIZATIONS_SCOPE = "user:org:read";

const secretHowTo = (name: string) =>
  `Set it in .dev.vars locally; in production run \`wrangler pages secret put ${name}\` (Pages) or \`wrangler secret put ${name} -c wrangler.workers.toml\` (Workers).`;
const varHowTo = (name: string) =>
  `Set it in .dev.vars locally, or as ${name} under [vars] in wrangler.toml and wrangler.workers.toml.`;

/**
 * Checks the bindings of one request and fills in the defaults the README lists; the one place
 * bindings are validated, so what reads AppConfig trusts it.
 * @throws {ConfigError} naming the first missing or malformed binding, never its value.
 */
export function readConfig(env: Env): AppConfig {
  const scopes = readScopes(env.CLERK_SCOPES);
  const secretKey = optional(env.CLERK_SECRET_KEY);
  return {
    sessionKv: readKv(env.SESSION_KV),
    sessionDb: readD1(env.SESSION_DB),
    sessionSecrets: readSecretList(env.SESSION_SECRET),
    sessionMaxAgeSeconds: readMaxAge(env.SESSION_MAX_AGE),
    sessionIdleTimeoutSeconds: readIdleTimeout(env.SESSION_IDLE_TIMEOUT),
    clerk: {
      origin: readClerkOrigin(env.CLERK_DOMAIN),
      clientId: required(env.CLERK_CLIENT_ID, "CLERK_CLIENT_ID", varHowTo),
      clientSecret: required(env.CLERK_CLIENT_SECRET, "CLERK_CLIENT_SECRET", secretHowTo),
      callbackUrl: readCallbackUrl(env.CLERK_CALLBACK_URL),
      scopes,
    },
    backendApi: {
      secretKey,
      apiUrl: readApiUrl(env.CLERK_API_URL),
    },
    webhookSigningKey: readWebhookSecret(env.CLERK_WEBHOOK_SIGNING_SECRET),
    organizations: scopes.includes(ORGANIZATIONS_SCOPE) && secretKey !== null,
  };
}

/** A binding object is what it claims to be when it has the methods the app calls on it. */
function hasMethods(value: unknown, methods: string[]): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === "function")
  );
}

function readKv(value: unknown): KVNamespace {
  if (hasMethods(value, ["get", "put"])) return value as KVNamespace;
  throw new ConfigError(
    "SESSION_KV",
    "is not bound to a KV namespace",
    'Add a [[kv_namespaces]] entry with binding = "SESSION_KV" to wrangler.toml and wrangler.workers.toml (create one with `wrangler kv namespace create SESSION_KV`).',
  );
}

function readD1(value: unknown): D1Database {
  if (hasMethods(value, ["prepare", "batch"])) return value as D1Database;
  throw new ConfigError(
    "SESSION_DB",
    "is not bound to a D1 database",
    'Add a [[d1_databases]] entry with binding = "SESSION_DB" to wrangler.toml and wrangler.workers.toml (create one with `wrangler d1 create remix-clerk-sessions`, then apply the schema with `wrangler d1 migrations apply SESSION_DB --remote`).',
  );
}

const WEBHOOK_SECRET_PREFIX = "whsec_";

function readWebhookSecret(value: unknown): Uint8Array | null {
  const raw = optional(value);
  if (raw === null) return null;
  const key = raw.startsWith(WEBHOOK_SECRET_PREFIX)
    ? decodeBase64(raw.slice(WEBHOOK_SECRET_PREFIX.length))
    : null;
  if (key === null || key.length < 16) {
    throw new ConfigError(
      "CLERK_WEBHOOK_SIGNING_SECRET",
      "must be the signing secret of the Clerk webhook endpoint: whsec_ followed by base64",
      secretHowTo("CLERK_WEBHOOK_SIGNING_SECRET"),
    );
  }
  return key;
}

// HMAC-SHA256 keys shorter than this are guessable offline from one signed cookie.
const MIN_SECRET_LENGTH = 32;

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
  const short = list.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
  if (short >= 0) {
    throw new ConfigError(
      "SESSION_SECRET",
      `has an entry (number ${short + 1}) shorter than ${MIN_SECRET_LENGTH} characters: each secret must be a long random string, such as the output of \`openssl rand -hex 32\``,
      secretHowTo("SESSION_SECRET"),
    );
  }
  return list;
}

/** Seven days: the lifetime before SESSION_MAX_AGE existed. */
export const DEFAULT_SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 7;
/**
 * Thirty days: NIST SP 800-63B-4's bound at AAL1. Clerk's refresh tokens never expire, so this is
 * the longest any session (and so any sign-in still in flight) can live.
 */
export const SESSION_MAX_AGE_LIMIT_SECONDS = 60 * 60 * 24 * 30;
/** KV refuses an expirationTtl below 60 seconds, and a shorter sign-in is no use to anyone. */
const SESSION_MAX_AGE_FLOOR_SECONDS = 60;
/** Below five minutes a person reading one page would be signed out under their eyes. */
export const SESSION_IDLE_TIMEOUT_FLOOR_SECONDS = 300;

/**
 * A whole number of seconds: text from .dev.vars or a secret, or a number from `[vars]` in
 * wrangler.toml; undefined when unset, null when malformed.
 */
function readSeconds(value: unknown): number | null | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  const raw = optional(value);
  if (raw === null) return undefined;
  return /^\d{1,10}$/.test(raw) ? Number(raw) : null;
}

function readMaxAge(value: unknown): number {
  const seconds = readSeconds(value);
  if (seconds === undefined) return DEFAULT_SESSION_MAX_AGE_SECONDS;
  if (
    seconds === null ||
    seconds < SESSION_MAX_AGE_FLOOR_SECONDS ||
    seconds > SESSION_MAX_AGE_LIMIT_SECONDS
  ) {
    throw new ConfigError(
      "SESSION_MAX_AGE",
      `must be a whole number of seconds from ${SESSION_MAX_AGE_FLOOR_SECONDS} to ${SESSION_MAX_AGE_LIMIT_SECONDS} (30 days), such as ${DEFAULT_SESSION_MAX_AGE_SECONDS} (7 days, the default)`,
      varHowTo("SESSION_MAX_AGE"),
    );
  }
  return seconds;
}

function readIdleTimeout(value: unknown): number | null {
  const seconds = readSeconds(value);
  if (seconds === undefined || seconds === 0) return null;
  if (seconds === null || seconds < SESSION_IDLE_TIMEOUT_FLOOR_SECONDS) {
    throw new ConfigError(
      "SESSION_IDLE_TIMEOUT",
      `must be a whole number of seconds, at least ${SESSION_IDLE_TIMEOUT_FLOOR_SECONDS}, such as 3600 (1 hour); 0 or unset turns the idle timeout off`,
      varHowTo("SESSION_IDLE_TIMEOUT"),
    );
  }
  return seconds;
}

const HTTP_ONLY_LOOPBACK = "http:// is allowed only for 127.0.0.1, localhost and [::1]";

function readClerkOrigin(value: unknown): string {
  const raw = required(value, "CLERK_DOMAIN", varHowTo);
  const origin = parseClerkOrigin(raw);
  if (origin === null) {
    throw new ConfigError(
      "CLERK_DOMAIN",
      `must be a host such as clerk.example.com (https implied) or an origin such as http://127.0.0.1:4010; ${HTTP_ONLY_LOOPBACK}`,
      varHowTo("CLERK_DOMAIN"),
    );
  }
  return origin;
}

function readCallbackUrl(value: unknown): string | null {
  const raw = optional(value);
  if (raw === null) return null;
  if (!isAbsoluteHttpUrl(raw)) {
    throw new ConfigError(
      "CLERK_CALLBACK_URL",
      "must be the absolute http(s) redirect URI registered with the Clerk OAuth application",
      varHowTo("CLERK_CALLBACK_URL"),
    );
  }
  return raw;
}

function readScopes(value: unknown): string[] {
  const scopes = parseScopes(optional(value));
  if (scopes === null) {
    throw new ConfigError(
      "CLERK_SCOPES",
      'must be scope names separated by spaces, such as "openid profile email offline_access public_metadata"',
      varHowTo("CLERK_SCOPES"),
    );
  }
  return scopes;
}

function readApiUrl(value: unknown): string {
  const raw = optional(value);
  if (raw === null) return DEFAULT_CLERK_API_URL;
  const origin = parseApiOrigin(raw);
  if (origin === null) {
    throw new ConfigError(
      "CLERK_API_URL",
      `must be an origin such as https://api.clerk.com, with no path; ${HTTP_ONLY_LOOPBACK}`,
      varHowTo("CLERK_API_URL"),
    );
  }
  return origin;
}

function optional(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function required(value: unknown, name: string, howTo: (name: string) => string): string {
  const text = optional(value);
  if (text === null) throw new ConfigError(name, "is not set", howTo(name));
  return text;
}
