import { beforeEach, describe, expect, it } from "vitest";
import { ACME_ID, GLOBEX_ID, SEED_USERS } from "../src/emulator";
import type { MembershipJson, RoleJson } from "../src/organization-json";
import { BACKEND_ONLY_MARKER } from "../src/seed-users";
import { type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

const [ADA, GRACE, ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];
const AUTH = { authorization: "Bearer sk_test_emulator" };

function bapi(path: string, headers: HeadersInit = AUTH) {
  return clerk.fetch(`${clerk.origin}/v1${path}`, { headers });
}

interface Page<T> {
  data: T[];
  total_count: number;
}

async function pageOf<T = MembershipJson>(path: string): Promise<Page<T>> {
  const response = await bapi(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json");
  return (await response.json()) as Page<T>;
}

describe("GET /v1/users/{id}/organization_memberships", () => {
  it("returns Clerk's OrganizationMembership with the organization nested whole", async () => {
    const { data, total_count } = await pageOf(`/users/${ADA}/organization_memberships`);
    expect(total_count).toBe(2);
    const acme = data.find((entry) => entry.organization?.id === ACME_ID);
    expect(acme).toMatchObject({
      object: "organization_membership",
      id: expect.stringMatching(/^orgmem_/),
      role: "org:admin",
      role_name: "Admin",
      permissions: expect.arrayContaining(["org:sys_memberships:manage", "org:invoices:read"]),
      public_metadata: { title: "Founder" },
      private_metadata: { salaryBand: BACKEND_ONLY_MARKER },
      organization: {
        object: "organization",
        name: "Acme Corporation",
        slug: "acme",
        image_url: expect.stringMatching(/^data:image\/svg\+xml,/),
        members_count: 3,
        public_metadata: { plan: "enterprise" },
        private_metadata: { billingNote: BACKEND_ONLY_MARKER },
      },
      public_user_data: {
        user_id: ADA,
        first_name: "Ada",
        last_name: "Lovelace",
        identifier: "ada@example.com",
        has_image: false,
      },
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
  });

  it("pages with limit and offset, 10 by default, counting every membership in total_count", async () => {
    const first = await pageOf(`/users/${ALAN}/organization_memberships`);
    expect(first.total_count).toBe(13);
    expect(first.data).toHaveLength(10);
    const rest = await pageOf(`/users/${ALAN}/organization_memberships?offset=10`);
    expect(rest.data).toHaveLength(3);
    const ids = [...first.data, ...rest.data].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(13);
    const small = await pageOf(`/users/${ALAN}/organization_memberships?limit=5&offset=5`);
    expect(small.data.map((entry) => entry.id)).toEqual(ids.slice(5, 10));
    const past = await pageOf(`/users/${ALAN}/organization_memberships?offset=40`);
    expect(past).toEqual({ data: [], total_count: 13 });
  });

  it.each(["limit=0", "limit=501", "limit=ten", "offset=-1"])(
    "refuses %s with a 422 naming the parameter",
    async (query) => {
      const response = await bapi(`/users/${ALAN}/organization_memberships?${query}`);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        errors: [{ code: "form_param_value_invalid", meta: { param_name: query.split("=")[0] } }],
      });
    },
  );

  it("answers 404 for an unknown user", async () => {
    const response = await bapi("/users/user_nobody/organization_memberships");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ code: "resource_not_found" }] });
  });
});

describe("GET /v1/organizations/{id}/memberships", () => {
  it("lists an organization's members, filtered by user_id and role when asked", async () => {
    const all = await pageOf(`/organizations/${ACME_ID}/memberships`);
    expect(all.total_count).toBe(3);
    expect(all.data.map((entry) => entry.public_user_data.user_id).sort()).toEqual(
      [ADA, GRACE, ALAN].sort(),
    );
    const grace = await pageOf(`/organizations/${ACME_ID}/memberships?user_id=${GRACE}`);
    expect(grace.data).toMatchObject([
      { role: "org:billing_manager", role_name: "Billing manager" },
    ]);
    const admins = await pageOf(`/organizations/${ACME_ID}/memberships?role=org:admin&limit=1`);
    expect(admins).toMatchObject({
      total_count: 1,
      data: [{ public_user_data: { user_id: ADA } }],
    });
  });

  it("answers 404 for an unknown organization, and serves one organization by id", async () => {
    expect((await bapi("/organizations/org_nothing/memberships")).status).toBe(404);
    const globex = await bapi(`/organizations/${GLOBEX_ID}`);
    expect(await globex.json()).toMatchObject({ id: GLOBEX_ID, slug: "globex", members_count: 2 });
  });
});

describe("the role catalogue", () => {
  it("lists each role with its permissions; org:member cannot read the member list", async () => {
    const { data } = await pageOf<RoleJson>("/organization_roles");
    const keys = (key: string) =>
      data.find((role) => role.key === key)?.permissions.map((permission) => permission.key);
    expect(data.map((role) => role.key)).toEqual([
      "org:admin",
      "org:member",
      "org:billing_manager",
    ]);
    expect(keys("org:admin")).toEqual(
      expect.arrayContaining(["org:sys_memberships:read", "org:sys_profile:manage"]),
    );
    expect(keys("org:member")).not.toContain("org:sys_memberships:read");
    expect(keys("org:billing_manager")).toEqual(
      expect.arrayContaining(["org:sys_memberships:read", "org:invoices:read"]),
    );
    const member = data.find((role) => role.key === "org:member");
    expect(member?.permissions[0]).toMatchObject({ object: "permission", type: "system" });
  });
});

describe("authentication and versions", () => {
  it.each([
    ["no key", {}],
    ["a wrong key", { authorization: "Bearer sk_test_wrong" }],
  ])("refuses a request with %s, as for users", async (_, headers) => {
    for (const path of [`/users/${ADA}/organization_memberships`, "/organization_roles"]) {
      const response = await bapi(path, headers);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({
        errors: [{ code: "authentication_invalid", message: expect.any(String) }],
      });
    }
  });

  it("records the pinned API version and refuses a header and a query together", async () => {
    await bapi(`/organizations/${ACME_ID}/memberships`, {
      ...AUTH,
      "clerk-api-version": "2026-05-12",
    });
    expect(clerk.emulator.lastApiVersion()).toBe("2026-05-12");
    const both = await bapi(`/organization_roles?__clerk_api_version=2026-05-12`, {
      ...AUTH,
      "clerk-api-version": "2026-05-12",
    });
    expect(both.status).toBe(400);
  });

  it("reads only: other methods get 405 with Allow: GET", async () => {
    const response = await clerk.fetch(`${clerk.origin}/v1/organizations/${ACME_ID}/memberships`, {
      method: "POST",
      headers: AUTH,
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });

  it("answers 403 on an instance without Organizations", async () => {
    clerk = inProcessEmulator({ organizationsEnabled: false });
    const response = await bapi(`/users/${ADA}/organization_memberships`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      errors: [{ code: "organization_not_enabled_in_instance" }],
    });
  });
});
