import { createCookie } from "@remix-run/cloudflare";

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
  refreshToken: "ort_fixture_refresh_token_value",
  expiresAt: Date.now() + 86_400_000,
  scope: ["profile", "email", "public_metadata"],
  idToken: null,
};

/**
 * Writes a session record straight into KV and returns a `__session` cookie pair signed with
 * `secret`, as the app would after a sign-in. For tests about reading sessions, not creating them.
 */
export async function plantSession(
  kv: KVNamespace,
  secret: string,
  {
    id = "0123456789abcdef0123456789abcdef",
    user = ADA,
    tokens = FIXTURE_TOKENS,
  }: { id?: string; user?: typeof ADA; tokens?: typeof FIXTURE_TOKENS } = {},
): Promise<{ id: string; cookie: string; value: string }> {
  await kv.put(`session:${id}`, JSON.stringify({ user, tokens, signedInAt: Date.now() }), {
    expirationTtl: 3600,
  });
  const serialized = await createCookie("__session", { secrets: [secret] }).serialize(id);
  const pair = serialized.split(";")[0] ?? "";
  return { id, cookie: pair, value: pair.slice("__session=".length) };
}
