import { describe, expect, it } from "vitest";
import { ACME_ID, GLOBEX_ID, SEED_USERS, createClerkEmulator } from "../src/emulator";
import { createWebhookSecret } from "../src/webhooks";

const [ADA, GRACE, ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];

function setup() {
  const received: string[] = [];
  const emulator = createClerkEmulator({
    webhooks: {
      url: "http://app.test/webhooks/clerk",
      secret: createWebhookSecret(),
      fetch: async (request) => {
        received.push(((await request.json()) as { type: string }).type);
        return new Response(null, { status: 204 });
      },
    },
  });
  return { emulator, received };
}

const page = (emulator: ReturnType<typeof createClerkEmulator>) =>
  emulator.fetch(new Request("http://clerk.test/__admin")).then((response) => response.text());

/** The admin page's own form, posted as a browser without JavaScript posts it. */
function post(form: Array<[string, string]>) {
  return new Request("http://clerk.test/__admin", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "null" },
    body: new URLSearchParams(form),
  });
}

describe("the admin page's organizations", () => {
  it("lists each organization's members with forms to re-role, remove, add, rename and delete", async () => {
    const html = await page(createClerkEmulator());
    expect(html).toContain(`data-org-id="${ACME_ID}"`);
    for (const name of [
      "Change role of Ada Lovelace in Acme Corporation",
      "Remove Grace Hopper from Acme Corporation",
      "Add member to Globex",
      "Rename Acme Corporation",
      "Delete Globex",
      "Save permissions of Member",
    ]) {
      expect(html).toContain(`aria-label="${name}"`);
    }
    expect(html).toContain('<option value="org:billing_manager" selected>Billing manager</option>');
  });

  it("adds a member with a role, and comes back saying what the app answered", async () => {
    const { emulator, received } = setup();
    const response = await emulator.fetch(
      post([
        ["action", "add-member"],
        ["org_id", GLOBEX_ID],
        ["user_id", ALAN],
        ["role", "org:member"],
      ]),
    );
    expect(response.status).toBe(303);
    expect(emulator.listMemberships({ organizationId: GLOBEX_ID, userId: ALAN })).toMatchObject([
      { role: "org:member" },
    ]);
    expect(received).toEqual(["organizationMembership.created"]);
    const location = new URL(response.headers.get("location") ?? "", "http://clerk.test");
    expect(location.searchParams.get("notice")).toBe(
      "add-member: Alan Turing in Globex (webhook organizationMembership.created answered 204)",
    );
  });

  it("changes a member's role, removes a member and renames an organization", async () => {
    const { emulator, received } = setup();
    const acme = (action: string, rest: Array<[string, string]>) =>
      emulator.fetch(post([["action", action], ["org_id", ACME_ID], ...rest]));
    expect(
      (
        await acme("set-role", [
          ["user_id", ALAN],
          ["role", "org:admin"],
        ])
      ).status,
    ).toBe(303);
    expect((await acme("remove-member", [["user_id", GRACE]])).status).toBe(303);
    expect((await acme("rename-org", [["name", "Acme Inc."]])).status).toBe(303);
    expect(received).toEqual([
      "organizationMembership.updated",
      "organizationMembership.deleted",
      "organization.updated",
    ]);
    expect(
      emulator.listMemberships({ organizationId: ACME_ID }).map((m) => [m.userId, m.role]),
    ).toEqual(expect.arrayContaining([[ALAN, "org:admin"]]));
    expect(emulator.listMemberships({ organizationId: ACME_ID, userId: GRACE })).toEqual([]);
    expect(emulator.listOrganizations().find((org) => org.id === ACME_ID)?.name).toBe("Acme Inc.");
  });

  it("deletes an organization and saves a role's permissions from the checkboxes", async () => {
    const { emulator, received } = setup();
    await emulator.fetch(
      post([
        ["action", "delete-org"],
        ["org_id", GLOBEX_ID],
      ]),
    );
    const save = post([
      ["action", "set-permissions"],
      ["role", "org:member"],
      ["permission", "org:sys_memberships:read"],
      ["permission", "org:invoices:read"],
    ]);
    expect((await emulator.fetch(save)).status).toBe(303);
    expect(received).toEqual(["organization.deleted", "role.updated"]);
    expect(emulator.listOrganizations().map((org) => org.id)).not.toContain(GLOBEX_ID);
    expect(emulator.listRoles().find((role) => role.key === "org:member")?.permissions).toEqual([
      "org:sys_memberships:read",
      "org:invoices:read",
    ]);
  });

  it("refuses unknown organizations, users, roles and permissions, changing nothing", async () => {
    const { emulator, received } = setup();
    const attempts: Array<[number, Array<[string, string]>]> = [
      [
        404,
        [
          ["action", "remove-member"],
          ["org_id", "org_nothing"],
          ["user_id", ADA],
        ],
      ],
      [
        404,
        [
          ["action", "add-member"],
          ["org_id", ACME_ID],
          ["user_id", "user_nobody"],
          ["role", "org:member"],
        ],
      ],
      [
        400,
        [
          ["action", "add-member"],
          ["org_id", ACME_ID],
          ["user_id", ADA],
          ["role", "org:member"],
        ],
      ],
      [
        400,
        [
          ["action", "set-role"],
          ["org_id", ACME_ID],
          ["user_id", ADA],
          ["role", "org:owner"],
        ],
      ],
      [
        400,
        [
          ["action", "remove-member"],
          ["org_id", GLOBEX_ID],
          ["user_id", ALAN],
        ],
      ],
      [
        404,
        [
          ["action", "set-permissions"],
          ["role", "org:owner"],
        ],
      ],
      [
        400,
        [
          ["action", "set-permissions"],
          ["role", "org:member"],
          ["permission", "org:nope"],
        ],
      ],
    ];
    for (const [status, form] of attempts) {
      expect((await emulator.fetch(post(form))).status, JSON.stringify(form)).toBe(status);
    }
    const crossOrigin = new Request("http://clerk.test/__admin", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.test" },
      body: new URLSearchParams({ action: "delete-org", org_id: ACME_ID }),
    });
    expect((await emulator.fetch(crossOrigin)).status).toBe(403);
    expect(received).toEqual([]);
    expect(emulator.listOrganizations()).toHaveLength(14);
  });
});
