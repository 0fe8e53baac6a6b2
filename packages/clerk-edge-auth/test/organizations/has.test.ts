import { describe, expect, it } from "vitest";
import { hasFor, orgFields } from "../../src/organizations/has.js";
import type { OrganizationState } from "../../src/organizations/organization-state.js";

const billing: OrganizationState = {
  known: true,
  active: {
    id: "org_acme",
    name: "Acme",
    slug: "acme",
    role: "org:billing_manager",
    roleName: "Billing manager",
    permissions: ["org:invoices:read", "org:sys_memberships:read"],
  },
};

describe("has()", () => {
  it("holds for the active organization's role and for each of its permissions, and nothing else", () => {
    const has = hasFor(billing);
    expect(has({ role: "org:billing_manager" })).toBe(true);
    expect(has({ role: "org:admin" })).toBe(false);
    expect(has({ permission: "org:invoices:read" })).toBe(true);
    expect(has({ permission: "org:invoices:manage" })).toBe(false);
  });

  it("is always false with no active organization, organizations off, or a malformed check", () => {
    for (const state of [{ known: true, active: null }, undefined, null]) {
      expect(hasFor(state)({ role: "org:admin" })).toBe(false);
    }
    expect(hasFor(billing)({} as never)).toBe(false);
    expect(hasFor(billing)(null as never)).toBe(false);
  });

  it("gives Clerk's orgId, orgRole, orgSlug and orgPermissions, all null without an active organization", () => {
    expect(orgFields(billing)).toEqual({
      orgId: "org_acme",
      orgRole: "org:billing_manager",
      orgSlug: "acme",
      orgPermissions: ["org:invoices:read", "org:sys_memberships:read"],
    });
    expect(orgFields(undefined)).toEqual({
      orgId: null,
      orgRole: null,
      orgSlug: null,
      orgPermissions: null,
    });
  });
});
