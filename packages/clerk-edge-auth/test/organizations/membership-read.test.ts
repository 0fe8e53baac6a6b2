import {
  BACKEND_ONLY_MARKER,
  type ClerkEmulator,
  createClerkEmulator,
  DEFAULT_SECRET_KEY,
  SEED_MEMBERSHIPS,
  SEED_USERS,
} from "clerk-oauth-emulator";
import { beforeEach, describe, expect, it } from "vitest";
import { readBackendApi } from "../../src/clerk/backend-api.server.js";
import {
  MEMBERSHIP_RETRY_MS,
  readUserMemberships,
} from "../../src/organizations/membership-read.server.js";

const [ADA, , ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];
const NOW = Date.UTC(2026, 11, 4);

let emulator: ClerkEmulator;
let requested: URL[];
beforeEach(() => {
  emulator = createClerkEmulator();
  requested = [];
});

function api() {
  const result = readBackendApi(
    { secretKey: DEFAULT_SECRET_KEY, apiUrl: "http://127.0.0.1:4010" },
    {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        requested.push(new URL(request.url));
        return emulator.fetch(request);
      },
    },
  );
  if (!result.ok) throw result.error;
  return result.api;
}

describe("reading a user's memberships from the Backend API", () => {
  it("narrows each to role, permissions and the organization's public fields, never private_metadata", async () => {
    const read = await readUserMemberships(api(), ADA, () => NOW);
    if (!read.ok) throw new Error("the read failed");
    expect(read.memberships.map((entry) => entry.role).sort()).toEqual(["org:admin", "org:member"]);
    expect(read.memberships.find((entry) => entry.role === "org:admin")).toMatchObject({
      orgName: "Acme Corporation",
      orgSlug: "acme",
      roleName: "Admin",
      permissions: expect.arrayContaining(["org:sys_memberships:manage"]),
    });
    expect(JSON.stringify(read)).not.toContain(BACKEND_ONLY_MARKER);
  });

  it("asks for a hundred at a time and follows every page", async () => {
    const read = await readUserMemberships(api(), ALAN, () => NOW);
    expect(read.ok && read.memberships.length).toBe(
      SEED_MEMBERSHIPS.filter((entry) => entry.userId === ALAN).length,
    );
    expect(requested.map((url) => url.searchParams.get("limit"))).toEqual(["100"]);
  });

  it("a failure is no throw: it says when to try again, no sooner than the retry window", async () => {
    emulator.fail("organizations", { kind: "status", status: 500 }, { times: 1 });
    expect(await readUserMemberships(api(), ADA, () => NOW)).toEqual({
      ok: false,
      retryAt: NOW + MEMBERSHIP_RETRY_MS,
    });
  });

  it("a 429 waits at least as long as Clerk's Retry-After", async () => {
    emulator.fail(
      "organizations",
      { kind: "status", status: 429, headers: { "Retry-After": "600" } },
      { times: 1 },
    );
    expect(await readUserMemberships(api(), ADA, () => NOW)).toEqual({
      ok: false,
      retryAt: NOW + 600_000,
    });
  });
});
