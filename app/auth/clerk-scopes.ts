/** Clerk's userinfo needs both for a profile; CONTRACT.md says they are always requested. */
export const REQUIRED_SCOPES = ["profile", "email"] as const;
export const DEFAULT_SCOPES = [...REQUIRED_SCOPES, "public_metadata"] as const;

/** The scopes to ask for: the required ones first, then the rest, each once. */
export function withRequiredScopes(scopes: readonly string[]): string[] {
  return [...new Set([...REQUIRED_SCOPES, ...scopes])];
}
