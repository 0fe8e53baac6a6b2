import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ACME_ID, GLOBEX_ID, SEED_USERS, createClerkEmulator } from "../src/emulator";
import { createWebhookSecret } from "../src/webhooks";

const [ADA, GRACE, ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];
const URL_ = "http://app.test/webhooks/clerk";

/** Node's own HMAC, deliberately not the emulator's crypto.subtle code under test. */
function verified(secret: string, headers: Headers, body: string): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const content = `${headers.get("svix-id")}.${headers.get("svix-timestamp")}.${body}`;
  const expected = `v1,${createHmac("sha256", key).update(content).digest("base64")}`;
  return headers.get("svix-signature") === expected;
}

/** An emulator whose webhooks land here, each checked against its signature as it arrives. */
function setup() {
  const secret = createWebhookSecret();
  const events: Array<{ type: string; data: Record<string, unknown>; signed: boolean }> = [];
  const emulator = createClerkEmulator({
    webhooks: {
      url: URL_,
      secret,
      fetch: async (request) => {
        const body = await request.text();
        events.push({ ...JSON.parse(body), signed: verified(secret, request.headers, body) });
        return new Response(null, { status: 204 });
      },
    },
  });
  return { emulator, events };
}

describe("organization webhooks", () => {
  it("announces a new member with the membership, signed", async () => {
    const { emulator, events } = setup();
    const delivery = await emulator.addMembership({
      organizationId: GLOBEX_ID,
      userId: ALAN,
      role: "org:billing_manager",
    });
    expect(delivery).toMatchObject({ type: "organizationMembership.created", status: 204 });
    expect(events[0]).toMatchObject({
      type: "organizationMembership.created",
      signed: true,
      data: {
        object: "organization_membership",
        role: "org:billing_manager",
        permissions: expect.arrayContaining(["org:invoices:read"]),
        organization: { id: GLOBEX_ID, members_count: 3 },
        public_user_data: { user_id: ALAN, identifier: "alan@example.com" },
      },
    });
    expect(emulator.listMemberships({ userId: ALAN, organizationId: GLOBEX_ID })).toHaveLength(1);
  });

  it("announces a role change and a removal, the removal carrying the membership as it was", async () => {
    const { emulator, events } = setup();
    await emulator.updateMembership(ACME_ID, ALAN, { role: "org:admin" });
    await emulator.removeMembership(ACME_ID, GRACE);
    expect(events.map((event) => [event.type, event.signed])).toEqual([
      ["organizationMembership.updated", true],
      ["organizationMembership.deleted", true],
    ]);
    expect(events[0]?.data).toMatchObject({ role: "org:admin", role_name: "Admin" });
    expect(events[1]?.data).toMatchObject({
      role: "org:billing_manager",
      organization: { id: ACME_ID, members_count: 2 },
      public_user_data: { user_id: GRACE },
    });
  });

  it("announces an organization's new name, and its deletion with Clerk's stub", async () => {
    const { emulator, events } = setup();
    await emulator.updateOrganization(ACME_ID, { name: "Acme Inc." });
    await emulator.deleteOrganization(ACME_ID);
    expect(events[0]).toMatchObject({
      type: "organization.updated",
      data: { object: "organization", id: ACME_ID, name: "Acme Inc.", slug: "acme" },
    });
    expect(events[1]).toMatchObject({
      type: "organization.deleted",
      data: { object: "organization", id: ACME_ID, deleted: true },
    });
    expect(emulator.listMemberships({ organizationId: ACME_ID })).toEqual([]);
  });

  it("announces a role's new permissions, which every holder then has", async () => {
    const { emulator, events } = setup();
    await emulator.updateRole("org:member", {
      permissions: ["org:sys_memberships:read", "org:sys_domains:read"],
    });
    expect(events[0]).toMatchObject({
      type: "role.updated",
      signed: true,
      data: { key: "org:member" },
    });
    const granted = (events[0]?.data.permissions ?? []) as Array<{ key: string }>;
    const keys = granted.map((entry) => entry.key);
    expect(keys).toEqual(["org:sys_memberships:read", "org:sys_domains:read"]);
    const member = emulator.listRoles().find((role) => role.key === "org:member");
    expect(member?.permissions).toContain("org:sys_memberships:read");
  });

  it("refuses impossible changes without announcing anything", () => {
    const { emulator, events } = setup();
    expect(() =>
      emulator.addMembership({ organizationId: ACME_ID, userId: ADA, role: "org:member" }),
    ).toThrow(/already/);
    expect(() => emulator.updateMembership(GLOBEX_ID, ALAN, { role: "org:admin" })).toThrow(
      /not a member/,
    );
    expect(() => emulator.updateRole("org:member", { permissions: ["org:nope"] })).toThrow(
      /unknown/,
    );
    expect(() => emulator.deleteOrganization("org_nothing")).toThrow(/No organization/);
    expect(events).toEqual([]);
  });

  it("drops a deleted user's memberships with them", async () => {
    const { emulator } = setup();
    await emulator.deleteUser(ADA);
    expect(emulator.listMemberships({ userId: ADA })).toEqual([]);
    expect(emulator.listMemberships({ organizationId: ACME_ID })).toHaveLength(2);
  });
});
