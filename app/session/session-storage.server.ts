import { createCookie, createSessionStorage } from "@remix-run/cloudflare";
import type { Session, SessionStorage } from "@remix-run/cloudflare";
import type { ClerkTokens } from "~/auth/clerk-tokens";
import type { SessionUser } from "~/auth/session-user";
import { parseSessionRecord } from "./session-record";

export const SESSION_COOKIE_NAME = "__session";
/** How long a sign-in lasts: the cookie's Max-Age and the KV record's TTL (fixed, not rolling). */
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;
/** KV refuses an expirationTtl below 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;
/** OWASP asks for at least 64 bits of entropy; Remix's KV storage uses exactly 64, we use 128. */
const SESSION_ID_BYTES = 16;
const SESSION_ID_PATTERN = /^[0-9a-f]{32}$/;
const KEY_PREFIX = "session:";

export interface SessionData {
  user: SessionUser;
  tokens: ClerkTokens;
  /** Epoch ms of the sign-in. */
  signedInAt: number;
}

export type AppSession = Session<SessionData>;

export interface KvSessionStorage extends SessionStorage<SessionData> {
  /** The id in a request's `__session` cookie, without reading KV; null when it cannot be read. */
  readSessionId(request: Request): Promise<string | null>;
  /** Deletes a record by id, for ending a session whose data we never loaded. */
  deleteById(id: string): Promise<void>;
}

interface Options {
  kv: KVNamespace;
  secrets: string[];
  /** Set the cookie's Secure attribute: true whenever the request came over https. */
  secure: boolean;
}

/**
 * Sessions in Workers KV behind Remix's `createSessionStorage`: the signed `__session` cookie holds
 * only a 128-bit random id; the record is `session:<id>` with a TTL equal to the cookie's Max-Age.
 * Reading a session never writes, and an unreadable cookie or record reads as an empty session.
 */
export function createKvSessionStorage({ kv, secrets, secure }: Options): KvSessionStorage {
  const cookie = createCookie(SESSION_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    secrets,
    maxAge: SESSION_TTL_SECONDS,
  });

  const storage = createSessionStorage<SessionData>({
    cookie,
    async createData(data, expires) {
      // 128 random bits make a collision negligible, so unlike Remix's KV storage we do not read
      // before writing: the sign-in callback costs one KV write and no read.
      const id = createSessionId();
      await kv.put(KEY_PREFIX + id, JSON.stringify(data), { expirationTtl: ttlSeconds(expires) });
      return id;
    },
    async readData(id) {
      if (!isSessionId(id)) return null;
      return parseSessionRecord(await kv.get(KEY_PREFIX + id, "json"));
    },
    async updateData(id, data, expires) {
      if (!isSessionId(id)) return;
      await kv.put(KEY_PREFIX + id, JSON.stringify(data), { expirationTtl: ttlSeconds(expires) });
    },
    async deleteData(id) {
      if (isSessionId(id)) await kv.delete(KEY_PREFIX + id);
    },
  });

  return {
    ...storage,
    async getSession(cookieHeader, options) {
      try {
        return await storage.getSession(cookieHeader, options);
      } catch {
        // A cookie or record that cannot be read means signed out, never a 5xx (CONTRACT.md).
        return storage.getSession(null);
      }
    },
    async readSessionId(request) {
      try {
        const id: unknown = await cookie.parse(request.headers.get("Cookie"));
        return isSessionId(id) ? id : null;
      } catch {
        return null;
      }
    },
    async deleteById(id) {
      if (isSessionId(id)) await kv.delete(KEY_PREFIX + id);
    },
  };
}

/** When a sign-in's record expires: rewriting it (a refresh, a new name) never outlives the cookie. */
export function sessionExpiry(session: AppSession): Date {
  const signedInAt = session.get("signedInAt") ?? Date.now();
  return new Date(signedInAt + SESSION_TTL_SECONDS * 1000);
}

/** The KV expirationTtl for a record that should live until `expires`, never under KV's floor. */
export function ttlSeconds(expires: Date | undefined, now = Date.now()): number {
  if (expires === undefined) return SESSION_TTL_SECONDS;
  return Math.max(KV_MIN_TTL_SECONDS, Math.ceil((expires.getTime() - now) / 1000));
}

function createSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}
