export const SUPPORTED_SCOPES = [
  "openid",
  "profile",
  "email",
  "public_metadata",
  "private_metadata",
  "offline_access",
] as const;

export const DEFAULT_SCOPE = "profile email";

/** Splits on any run of spaces and drops duplicates, keeping the caller's order. */
export function parseScope(raw: string | null | undefined): string[] {
  const value = raw?.trim() ? raw : DEFAULT_SCOPE;
  return [...new Set(value.split(" ").filter(Boolean))];
}

export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((scope) => !(SUPPORTED_SCOPES as readonly string[]).includes(scope));
}
