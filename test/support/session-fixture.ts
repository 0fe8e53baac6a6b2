import { createCookie } from "@remix-run/cloudflare";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";

export const ADA = {
  id: "user_2adaLovelaceFixture00000000",
  email: "ada@example.com",
  emailVerified: true,
  firstName: "Ada",
  lastName: "Lovelace",
  fullName: "Ada Lovelace",
  username: "ada",
  imageUrl: null,
  publicMetadata: { role: "admin" },
};

export const FIXTURE_TOKENS = {
  accessToken: "oat_fixture_access_token_value",
  refreshToken: "ort_fixture_refresh_token_value" as string | null,
  expiresAt: Date.now() + 86_400_000,
  scope: ["profile", "email", "public_metadata"],
  idToken: null,
};

export interface SessionStores {
  kv(): Promise<KVNamespace>;
  db(): Promise<D1Database>;
}

/**
 * The session id in a session cookie's value: Remix's signed-cookie format, base64(JSON of
 * "<id>.<epoch second of the last request>"), a dot, the signature.
 */
export function sessionIdOf(cookieValue: string): string {
  const signed = JSON.parse(atob(decodeURIComponent(cookieValue).split(".")[0] ?? "")) as string;
  return signed.split(".")[0] ?? "";
}

/** SHA-256 hex, the key both stores use for a session id. */
export async function hashOf(id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes a live session straight into the authority (D1) and its KV copy, and returns a session
 * cookie pair signed with `secret` by Remix's own `createCookie`, as the app would after a sign-in.
 * For tests about reading sessions, not creating them.
 */
export async function plantSession(
  stores: SessionStores,
  secret: string,
  {
    id = "0123456789abcdef0123456789abcdef",
    user = ADA,
    tokens = FIXTURE_TOKENS,
    handle = `handle-${id.slice(0, 8)}`,
    kvCopy = true,
    cookieName = SESSION_COOKIE_NAME.http,
  }: {
    id?: string;
    user?: typeof ADA;
    tokens?: typeof FIXTURE_TOKENS;
    handle?: string;
    kvCopy?: boolean;
    cookieName?: string;
  } = {},
): Promise<{ id: string; idHash: string; cookie: string; value: string }> {
  const idHash = await hashOf(id);
  const now = Date.now();
  const expiresAt = now + 3_600_000;
  const db = await stores.db();
  await db
    .prepare(
      `INSERT OR REPLACE INTO sessions (id_hash, handle, user_id, user_json, access_token, refresh_token,
         access_expires_at, scope, id_token, created_at, expires_at, device, place)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      idHash,
      handle,
      user.id,
      JSON.stringify(user),
      tokens.accessToken,
      tokens.refreshToken,
      tokens.expiresAt,
      tokens.scope.join(" "),
      tokens.idToken,
      now,
      expiresAt,
      "Chrome on Linux",
      null,
    )
    .run();
  if (kvCopy) {
    await (await stores.kv()).put(`session:${idHash}`, JSON.stringify({ user, expiresAt }), {
      expirationTtl: 3600,
    });
  }
  const serialized = await createCookie(cookieName, { secrets: [secret] }).serialize(id);
  const pair = serialized.split(";")[0] ?? "";
  return { id, idHash, cookie: pair, value: pair.slice(`${cookieName}=`.length) };
}
