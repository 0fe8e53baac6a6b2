import { describe, expect, it } from "vitest";
import { readBackendApi } from "../../src/clerk/backend-api.server.js";
import { formatDay, toProfileView } from "../../src/clerk/profile-view.js";
import { DEFAULT_SECRET_KEY, createClerkEmulator } from "clerk-oauth-emulator";
import { BACKEND_ONLY_MARKER, EDGE_USERS, SEED_USERS } from "clerk-oauth-emulator";

/** A user as the Backend API client hands it over, read from the emulator in-process. */
async function apiUser(id: string): Promise<unknown> {
  const emulator = createClerkEmulator({ users: [...SEED_USERS, ...EDGE_USERS] });
  const backend = readBackendApi(
    { secretKey: DEFAULT_SECRET_KEY, apiUrl: "http://127.0.0.1:4010" },
    { fetch: async (input, init) => emulator.fetch(new Request(input, init)) },
  );
  if (!backend.ok) throw backend.error;
  return backend.api.getUser(id);
}

describe("toProfileView", () => {
  it("holds exactly the fields the page shows", async () => {
    const ada = SEED_USERS[0];
    const view = toProfileView(await apiUser(ada?.id ?? ""));
    expect(view).toEqual({
      id: ada?.id,
      firstName: "Ada",
      lastName: "Lovelace",
      fullName: "Ada Lovelace",
      username: "ada",
      imageUrl: ada?.imageUrl,
      emails: [{ address: "ada@example.com", verified: true, primary: true }],
      memberSince: "2024-01-15",
    });
  });

  it("carries no backend-only data: metadata and moderation flags stay out", async () => {
    const view = toProfileView(await apiUser("user_edgeMarked"));
    const serialised = JSON.stringify(view);
    expect(serialised).not.toContain(BACKEND_ONLY_MARKER);
    expect(serialised).not.toMatch(/metadata|banned|locked/i);
  });

  it("shows a user created at the smallest int64 without a date, instead of throwing", async () => {
    const view = toProfileView(await apiUser("user_edgeMinCreatedAt"));
    expect(view?.memberSince).toBeNull();
    expect(view?.fullName).toBe("Edge Case");
  });

  it("shows a user without email addresses", async () => {
    expect(toProfileView(await apiUser("user_edgeNoEmails"))?.emails).toEqual([]);
  });

  it("shows an email address sent without its id, as not primary", async () => {
    expect(toProfileView(await apiUser("user_edgeEmailWithoutId"))?.emails).toEqual([
      { address: "no-id@example.com", verified: false, primary: false },
    ]);
  });

  it("reads fields of the wrong type as absent and refuses only an answer without an id", () => {
    expect(
      toProfileView({
        id: "user_1",
        first_name: 7,
        last_name: null,
        email_addresses: "nope",
        created_at: "yesterday",
      }),
    ).toEqual({
      id: "user_1",
      firstName: null,
      lastName: null,
      fullName: null,
      username: null,
      imageUrl: null,
      emails: [],
      memberSince: null,
    });
    expect(toProfileView("<html>")).toBeNull();
    expect(toProfileView({ first_name: "Ada" })).toBeNull();
  });
});

describe("formatDay", () => {
  it.each([
    [Date.UTC(2024, 0, 15, 9, 30), "2024-01-15"],
    [8.64e15, "+275760-09-13"],
    [-8.64e15, "-271821-04-20"],
    [-9007199254740991, null],
    [8.64e15 + 1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    ["2024-01-15", null],
  ])("formats %o as %o", (input, expected) => {
    expect(formatDay(input)).toBe(expected);
  });
});
