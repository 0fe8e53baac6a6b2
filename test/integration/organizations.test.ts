import {
  ACME_ID,
  BACKEND_ONLY_MARKER,
  createWebhookSecret,
  type EmulatorMembership,
  type EmulatorOrganization,
  GLOBEX_ID,
  SEED_MEMBERSHIPS,
  SEED_ORGANIZATIONS,
  SEED_USERS,
  signWebhook,
} from "clerk-oauth-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APP_ORIGIN, type AppHarness, ROOT_DATA } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { expectConsoleErrors } from "../support/console-guard";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const [ADA, GRACE, ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];
const ORG_SCOPES = "openid profile email offline_access public_metadata user:org:read";
const SECRET = createWebhookSecret();
const HUT_1 = SEED_ORGANIZATIONS.find((org) => org.name === "Hut 1")?.id ?? "";

/** A hundred more organizations for Alan, so his memberships take two pages of a hundred. */
const ANNEXES: EmulatorOrganization[] = Array.from({ length: 100 }, (_, i) => ({
  id: `org_2Annex${String(i).padStart(3, "0")}`,
  name: `Annex ${i}`,
  slug: `annex-${i}`,
  imageUrl: "",
  publicMetadata: {},
  privateMetadata: { note: BACKEND_ONLY_MARKER },
  createdBy: null,
  createdAt: Date.UTC(2024, 5, 1),
  updatedAt: Date.UTC(2024, 5, 1),
}));
const ANNEX_MEMBERSHIPS: EmulatorMembership[] = ANNEXES.map((org, i) => ({
  id: `orgmem_2Annex${String(i).padStart(3, "0")}`,
  organizationId: org.id,
  userId: ALAN,
  role: "org:member",
  publicMetadata: {},
  privateMetadata: { note: BACKEND_ONLY_MARKER },
  createdAt: org.createdAt,
  updatedAt: org.updatedAt,
}));
const ALAN_MEMBERSHIPS = SEED_MEMBERSHIPS.filter((m) => m.userId === ALAN).length + 100;

let clerkApp: ClerkApp;
let app: AppHarness;
beforeAll(async () => {
  clerkApp = await startClerkApp({
    bundle: "counting",
    bindings: { CLERK_SCOPES: ORG_SCOPES, CLERK_WEBHOOK_SIGNING_SECRET: SECRET },
    emulator: {
      organizations: [...SEED_ORGANIZATIONS, ...ANNEXES],
      memberships: [...SEED_MEMBERSHIPS, ...ANNEX_MEMBERSHIPS],
    },
  });
  app = clerkApp.app;
  clerkApp.clerk.emulator.configure({
    webhooks: {
      url: `${APP_ORIGIN}/webhooks/clerk`,
      secret: SECRET,
      fetch: async (request) =>
        app.fetch(new URL(request.url).pathname, {
          method: "POST",
          headers: Object.fromEntries(request.headers),
          body: await request.text(),
        }),
    },
  });
});
afterAll(() => clerkApp.close());
afterEach(() => clerkApp.clerk.emulator.reset());

const emulator = () => clerkApp.clerk.emulator;

/** A browser signed in as `userId`, with `orgId` picked on Clerk's consent screen when given. */
async function signIn(userId: string, orgId?: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const { callback } = await signInThroughEmulator(app, jar, { userId, orgId });
  expect(callback.status).toBe(302);
  expect(callback.headers.get("Location")).toBe("/private");
  return jar;
}

/** The id hash of the user's newest live session. */
async function newestSession(userId: string): Promise<string> {
  const row = await (await app.db())
    .prepare(
      "SELECT id_hash FROM sessions WHERE user_id = ? AND ended_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind(userId)
    .first<{ id_hash: string }>();
  if (!row) throw new Error("no live session");
  return row.id_hash;
}

/** The KV copy of a session, parsed. */
async function copyOf(idHash: string): Promise<Record<string, unknown> | null> {
  const text = await (await app.kv()).get(`session:${idHash}`, "text");
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

async function activeInCopy(idHash: string) {
  const copy = await copyOf(idHash);
  return (copy?.organizations as { active: { id: string; role: string } | null } | undefined)
    ?.active;
}

function switchTo(jar: CookieJar, org: string, intent = "switch-org") {
  return app.fetch("/org", {
    method: "POST",
    jar,
    headers: { Origin: APP_ORIGIN },
    body: new URLSearchParams({ intent, org }),
  });
}

async function page(path: string, jar: CookieJar): Promise<{ status: number; body: string }> {
  const response = await app.fetch(path, { jar });
  return { status: response.status, body: await response.text() };
}

/** Forgets what the authority knows of a user's memberships, as before their first sign-in. */
async function forgetMemberships(userId: string): Promise<void> {
  const db = await app.db();
  await db.batch([
    db.prepare("DELETE FROM org_memberships WHERE user_id = ?").bind(userId),
    db.prepare("DELETE FROM org_users WHERE user_id = ?").bind(userId),
  ]);
}

function membershipReads(userId: string) {
  return emulator().requests.filter(
    (request) => request.path === `/v1/users/${userId}/organization_memberships`,
  );
}

describe("sign-in with user:org:read", () => {
  it("the organization picked on Clerk's consent screen becomes the session's, with the role from the Backend API", async () => {
    const jar = await signIn(ADA, ACME_ID);
    const copy = await copyOf(await newestSession(ADA));
    expect(copy?.organizations).toMatchObject({
      known: true,
      active: { id: ACME_ID, name: "Acme Corporation", slug: "acme", role: "org:admin" },
    });
    const org = await app.fetch("/org", { jar });
    expect(org.status).toBe(200);
    expect(org.headers.get("Cache-Control")).toBe("private, no-store");
    const html = await org.text();
    expect(html).toContain('data-testid="active-org">Acme Corporation<');
    expect(html).toContain('data-testid="org-role">Admin<');
    expect(html).toContain("Switch to Globex");
    expect((await page("/private", jar)).body).toContain('href="/org"');
  });

  it("without a pick the session has no active organization until one is switched to", async () => {
    const jar = await signIn(ADA);
    const idHash = await newestSession(ADA);
    expect(await activeInCopy(idHash)).toBeNull();
    expect((await page("/org", jar)).body).toContain('data-testid="active-org-none"');
    const switched = await switchTo(jar, GLOBEX_ID);
    expect(switched.status).toBe(200);
    expect(await activeInCopy(idHash)).toMatchObject({ id: GLOBEX_ID, role: "org:member" });
    const after = (await page("/org", jar)).body;
    expect(after).toContain('data-testid="active-org">Globex<');
    expect(after).toContain('data-testid="org-role">Member<');
  });

  it("switching to an organization you are not in, or an unknown id, changes nothing and gets a 4xx", async () => {
    const jar = await signIn(ADA, ACME_ID);
    const idHash = await newestSession(ADA);
    for (const org of [HUT_1, "org_2DoesNotExist000", "not-an-id", ""]) {
      const response = await switchTo(jar, org);
      expect(response.status, org).toBe(404);
    }
    expect((await switchTo(jar, GLOBEX_ID, "something-else")).status).toBe(400);
    expect(await activeInCopy(idHash)).toMatchObject({ id: ACME_ID });
    const row = await (await app.db())
      .prepare("SELECT active_org_id FROM sessions WHERE id_hash = ?")
      .bind(idHash)
      .first<{ active_org_id: string }>();
    expect(row?.active_org_id).toBe(ACME_ID);
  });

  it("a switch the session database fails, or answers only after the deadline, is never reported as done", async () => {
    expectConsoleErrors();
    const jar = await signIn(ADA, ACME_ID);
    try {
      await app.injectD1Fault({ match: "SET active_org_id = ?", fail: true, times: 1 });
      const failed = await switchTo(jar, GLOBEX_ID);
      expect(failed.status).toBe(424);
      expect(await failed.text()).toContain("could not be confirmed");
      await app.injectD1Fault({ match: "SET active_org_id = ?", hangMs: 4000, times: 1 });
      const hung = await switchTo(jar, GLOBEX_ID);
      expect(hung.status).toBe(424);
      expect(await hung.text()).toContain("could not be confirmed");
    } finally {
      await app.clearD1Faults();
    }
    // The late switch landed at the authority: /org, which reads it, shows where it stands.
    await expect
      .poll(async () => (await page("/org", jar)).body, { timeout: 5000 })
      .toContain('data-testid="active-org">Globex<');
  }, 20_000);

  it("reads every page of the memberships from the Backend API", async () => {
    emulator().clearRequests();
    await signIn(ALAN);
    expect(membershipReads(ALAN).map((request) => request.query.offset)).toEqual(["0", "100"]);
    const row = await (await app.db())
      .prepare("SELECT count(*) AS n FROM org_memberships WHERE user_id = ?")
      .bind(ALAN)
      .first<{ n: number }>();
    expect(row?.n).toBe(ALAN_MEMBERSHIPS);
  });
});

describe("/org/members", () => {
  it("lists the members for a role that grants reading them", async () => {
    const jar = await signIn(GRACE, ACME_ID);
    const { status, body } = await page("/org/members", jar);
    expect(status).toBe(200);
    expect(body).toContain("Members of Acme Corporation");
    expect(body).toContain("Ada");
    expect(body).toContain("Billing manager");
  });

  it("is 403 for a role that grants neither org:sys_memberships:read nor :manage", async () => {
    const jar = await signIn(ALAN, ACME_ID);
    const { status, body } = await page("/org/members", jar);
    expect(status).toBe(403);
    expect(body).not.toContain("Members of Acme Corporation");
  });

  it("is 404 with no active organization", async () => {
    const jar = await signIn(GRACE);
    expect((await page("/org/members", jar)).status).toBe(404);
  });

  it("sends a signed-out visitor to sign in", async () => {
    for (const path of ["/org", "/org/members"]) {
      const response = await app.fetch(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe(
        `/login?${new URLSearchParams({ redirectTo: path })}`,
      );
    }
  });
});

describe("the server and client API", () => {
  it("useAuth(), useOrganization() and <Show when={{ role }} | {{ permission }} | (has) => …> render from the session", async () => {
    const admin = (await page("/examples/auth-components", await signIn(ADA, ACME_ID))).body;
    expect(admin).toContain(`${ACME_ID} (org:admin)`);
    expect(admin).toContain("You are an admin of");
    expect(admin).toContain("You may read invoices here.");
    expect(admin).toContain("An admin or a member.");
    const billing = (await page("/examples/auth-components", await signIn(GRACE, ACME_ID))).body;
    expect(billing).toContain("You are not an admin of the active organization.");
    expect(billing).toContain("You may read invoices here.");
    expect(billing).not.toContain("An admin or a member.");
    const none = (await page("/examples/auth-components", await signIn(GRACE))).body;
    expect(none).toContain("You may not read invoices here.");
  });

  it("protect() in an action checks the role at the authority: a demotion at Clerk is a 404 at once, whatever the KV copy says", async () => {
    const jar = await signIn(ADA, ACME_ID);
    const idHash = await newestSession(ADA);
    const act = () =>
      app.fetch("/examples/auth-components", {
        method: "POST",
        jar,
        headers: { Origin: APP_ORIGIN },
      });
    const allowed = await act();
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("Done, as an admin.");
    const staleCopy = await (await app.kv()).get(`session:${idHash}`, "text");
    try {
      await emulator().updateMembership(ACME_ID, ADA, { role: "org:member" });
      await (await app.kv()).put(`session:${idHash}`, staleCopy ?? "");
      expect((await act()).status).toBe(404);
    } finally {
      await emulator().updateMembership(ACME_ID, ADA, { role: "org:admin" });
    }
    expect((await act()).status).toBe(200);
  });
});

describe("changes at Clerk reach the sessions through webhooks", () => {
  it("a role changed at the emulator changes what the next check at the authority allows, whatever the KV copy says", async () => {
    const jar = await signIn(GRACE, ACME_ID);
    const idHash = await newestSession(GRACE);
    expect((await page("/org/members", jar)).status).toBe(200);
    const staleCopy = await (await app.kv()).get(`session:${idHash}`, "text");
    try {
      expect(
        await emulator().updateMembership(ACME_ID, GRACE, { role: "org:member" }),
      ).toMatchObject({ status: 200 });
      expect(await activeInCopy(idHash)).toMatchObject({ role: "org:member" });
      // Views may lag behind by KV's propagation: put the old copy back to stand for that lag.
      await (await app.kv()).put(`session:${idHash}`, staleCopy ?? "");
      expect((await page("/private", jar)).body).toContain("org:billing_manager");
      expect((await page("/org/members", jar)).status).toBe(403);
    } finally {
      await emulator().updateMembership(ACME_ID, GRACE, { role: "org:billing_manager" });
    }
    expect((await page("/org/members", jar)).status).toBe(200);
  });

  it("a member removed at the emulator loses the organization in every session, and cannot switch back", async () => {
    const first = await signIn(ADA, GLOBEX_ID);
    const firstHash = await newestSession(ADA);
    const second = await signIn(ADA, GLOBEX_ID);
    const secondHash = await newestSession(ADA);
    try {
      expect(await emulator().removeMembership(GLOBEX_ID, ADA)).toMatchObject({ status: 200 });
      expect(await activeInCopy(firstHash)).toBeNull();
      expect(await activeInCopy(secondHash)).toBeNull();
      expect((await switchTo(first, GLOBEX_ID)).status).toBe(404);
      expect((await page("/org", second)).body).not.toContain("Globex");
    } finally {
      await emulator().addMembership({
        organizationId: GLOBEX_ID,
        userId: ADA,
        role: "org:member",
      });
    }
    expect((await switchTo(first, GLOBEX_ID)).status).toBe(200);
  });

  it("a role's permissions changed in the catalogue change has() for everyone holding it", async () => {
    const jar = await signIn(GRACE, ACME_ID);
    const role = emulator()
      .listRoles()
      .find((entry) => entry.key === "org:billing_manager");
    if (!role) throw new Error("the emulator has no billing manager role");
    try {
      await emulator().updateRole(role.key, {
        permissions: role.permissions.filter((key) => key !== "org:sys_memberships:read"),
      });
      expect((await page("/org/members", jar)).status).toBe(403);
    } finally {
      await emulator().updateRole(role.key, { permissions: role.permissions });
    }
    expect((await page("/org/members", jar)).status).toBe(200);
  });

  it("an organization renamed or deleted at the emulator follows in the sessions acting in it", async () => {
    const jar = await signIn(ALAN, HUT_1);
    const idHash = await newestSession(ALAN);
    await emulator().updateOrganization(HUT_1, { name: "Hut One" });
    expect(await activeInCopy(idHash)).toMatchObject({ id: HUT_1, name: "Hut One" });
    expect(await emulator().deleteOrganization(HUT_1)).toMatchObject({ status: 200 });
    expect(await activeInCopy(idHash)).toBeNull();
    expect((await switchTo(jar, HUT_1)).status).toBe(404);
  });
});

describe("organization webhooks, verified and deduplicated like every webhook", () => {
  /** Signs and POSTs one organizationMembership.updated for Grace in Acme, as Clerk would. */
  async function deliverRole(id: string, role: string, updatedAt: number) {
    const body = JSON.stringify({
      object: "event",
      type: "organizationMembership.updated",
      data: {
        object: "organization_membership",
        id: "orgmem_grace_acme",
        role,
        role_name: role,
        permissions: [],
        organization: { id: ACME_ID, name: "Acme Corporation", slug: "acme" },
        public_user_data: { user_id: GRACE },
        updated_at: updatedAt,
      },
    });
    const seconds = Math.floor(Date.now() / 1000);
    const response = await app.fetch("/webhooks/clerk", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(seconds),
        "svix-signature": await signWebhook(SECRET, id, seconds, body),
      },
      body,
    });
    return (await response.json()) as { status: string };
  }

  it("a repeated svix-id has no second effect, and an older change does not undo a newer one", async () => {
    await signIn(GRACE, ACME_ID);
    const idHash = await newestSession(GRACE);
    try {
      expect(await deliverRole("msg_org_old", "org:member", 1)).toMatchObject({
        status: "processed",
      });
      expect(await activeInCopy(idHash)).toMatchObject({ role: "org:billing_manager" });
      expect(await deliverRole("msg_org_new", "org:member", Date.now())).toMatchObject({
        status: "processed",
      });
      expect(await activeInCopy(idHash)).toMatchObject({ role: "org:member" });
      expect(await deliverRole("msg_org_new", "org:admin", Date.now())).toMatchObject({
        status: "duplicate",
      });
      expect(await activeInCopy(idHash)).toMatchObject({ role: "org:member" });
    } finally {
      await emulator().updateMembership(ACME_ID, GRACE, { role: "org:billing_manager" });
    }
    expect(await activeInCopy(idHash)).toMatchObject({ role: "org:billing_manager" });
  });
});

describe("a Backend API failure at sign-in is not a failed sign-in", () => {
  it("a 500: signed in without organizations, says so, and reads them again once due", async () => {
    await forgetMemberships(ADA);
    emulator().fail("organizations", { kind: "status", status: 500 }, { times: 1 });
    const jar = await signIn(ADA, ACME_ID);
    const idHash = await newestSession(ADA);
    expect((await copyOf(idHash))?.organizations).toEqual({ known: false, active: null });
    expect((await page("/org", jar)).body).toContain("could not be read from Clerk");
    // The retry window passes.
    await (await app.db())
      .prepare("UPDATE org_users SET retry_at = 0 WHERE user_id = ?")
      .bind(ADA)
      .run();
    const { body } = await page("/org", jar);
    expect(body).toContain('data-testid="active-org">Acme Corporation<');
    expect((await copyOf(idHash))?.organizations).toMatchObject({
      known: true,
      active: { id: ACME_ID },
    });
  });

  it("a 429: Clerk's Retry-After is honoured, and no page reads again before it", async () => {
    await forgetMemberships(GRACE);
    emulator().fail(
      "organizations",
      { kind: "status", status: 429, headers: { "Retry-After": "120" } },
      { times: 1 },
    );
    const before = Date.now();
    const jar = await signIn(GRACE, ACME_ID);
    const row = await (await app.db())
      .prepare("SELECT synced_at, retry_at FROM org_users WHERE user_id = ?")
      .bind(GRACE)
      .first<{ synced_at: number | null; retry_at: number }>();
    expect(row?.synced_at).toBeNull();
    expect(row?.retry_at).toBeGreaterThanOrEqual(before + 120_000);
    emulator().clearRequests();
    expect((await page("/org", jar)).body).toContain("could not be read from Clerk");
    expect(membershipReads(GRACE)).toHaveLength(0);
    await (await app.db())
      .prepare("UPDATE org_users SET retry_at = 0 WHERE user_id = ?")
      .bind(GRACE)
      .run();
  });

  it("a Backend API that hangs past the deadline: the sign-in goes on without organizations", async () => {
    await forgetMemberships(ALAN);
    emulator().fail("organizations", { kind: "delay", ms: 7000 }, { times: 1 });
    const started = Date.now();
    await signIn(ALAN, ACME_ID);
    expect(Date.now() - started).toBeLessThan(7000);
    expect((await copyOf(await newestSession(ALAN)))?.organizations).toEqual({
      known: false,
      active: null,
    });
    await (await app.db())
      .prepare("UPDATE org_users SET retry_at = 0 WHERE user_id = ?")
      .bind(ALAN)
      .run();
  }, 20_000);
});

describe("what the browser sees", () => {
  it("no organization or membership private_metadata in any HTML, .data or JSON of a signed-in walk", async () => {
    const jar = await signIn(ADA, ACME_ID);
    for (const path of [
      "/",
      "/private",
      "/org",
      "/org/members",
      ROOT_DATA,
      "/org.data",
      "/org/members.data",
    ]) {
      const { status, body } = await page(path, jar);
      expect(status, path).toBe(200);
      expect(body, path).not.toContain(BACKEND_ONLY_MARKER);
      expect(body, path).not.toContain("salaryBand");
      expect(body, path).not.toContain("billingNote");
    }
    const switched = await switchTo(jar, GLOBEX_ID);
    expect(await switched.text()).not.toContain(BACKEND_ONLY_MARKER);
    const stored = await (await app.db())
      .prepare("SELECT * FROM org_memberships")
      .all<Record<string, unknown>>();
    expect(JSON.stringify(stored.results)).not.toContain(BACKEND_ONLY_MARKER);
  });
});

describe("organizations off (no user:org:read)", () => {
  let plain: ClerkApp;
  beforeAll(async () => {
    plain = await startClerkApp();
  });
  afterAll(() => plain.close());

  it("a sign-in reads no memberships and stores no organization fields; /org is not there", async () => {
    const jar = new CookieJar();
    const { callback } = await signInThroughEmulator(plain.app, jar, {
      userId: ADA,
      orgId: ACME_ID,
    });
    expect(callback.status).toBe(302);
    expect(
      plain.clerk.emulator.requests.filter((request) => request.path.includes("organization")),
    ).toEqual([]);
    const db = await plain.app.db();
    const row = await db
      .prepare("SELECT id_hash, active_org_id, org_json FROM sessions WHERE user_id = ?")
      .bind(ADA)
      .first<{ id_hash: string; active_org_id: null; org_json: null }>();
    expect(row).toMatchObject({ active_org_id: null, org_json: null });
    const copy = await (await plain.app.kv()).get(`session:${row?.id_hash}`, "text");
    expect(Object.keys(JSON.parse(copy ?? "{}"))).toEqual(["user", "expiresAt"]);
    expect((await plain.app.fetch("/org", { jar })).status).toBe(404);
    const home = await (await plain.app.fetch("/private", { jar })).text();
    expect(home).not.toContain('href="/org"');
  });
});
