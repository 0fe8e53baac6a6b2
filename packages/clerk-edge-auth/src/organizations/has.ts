import type { OrganizationState } from "./organization-state.js";

/** What `has()` checks, as Clerk's `has()` takes it: a role key or a permission key. */
export type HasCheck = { role: string; permission?: never } | { permission: string; role?: never };

/** `has()` for one organization state: true only for the active organization's role or permission. */
export type Has = (check: HasCheck) => boolean;

/** Clerk's `has()` over the active organization; with none (or organizations off), always false. */
export function hasFor(state: OrganizationState | undefined | null): Has {
  const active = state?.active ?? null;
  return (check) => {
    if (active === null || typeof check !== "object" || check === null) return false;
    if (typeof check.role === "string") return active.role === check.role;
    if (typeof check.permission === "string") return active.permissions.includes(check.permission);
    return false;
  };
}

/** The organization fields of Clerk's `auth()` / `useAuth()`, from one organization state. */
export function orgFields(state: OrganizationState | undefined | null) {
  const active = state?.active ?? null;
  return {
    orgId: active?.id ?? null,
    orgRole: active?.role ?? null,
    orgSlug: active?.slug ?? null,
    orgPermissions: active?.permissions ?? null,
  };
}
