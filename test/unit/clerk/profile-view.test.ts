import { createClerkClient } from "@clerk/backend";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDay, toProfileView } from "~/clerk/profile-view";
import { createClerkEmulator } from "../../clerk-emulator/emulator";
import { BACKEND_ONLY_MARKER, EDGE_USERS, SEED_USERS } from "../../clerk-emulator/seed-users";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A user as Clerk's SDK hands it over, read from the emulator's Backend API. */
async function sdkUser(id: string): Promise<unknown> {
  const emulator = createClerkEmulator({ users: [...SEED_USERS, ...EDGE_USERS] });
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
    emulator.fetch(new Request(input, init)),
  );
  const clerk = createClerkClient({ secretKey: "sk_test_emulator", apiUrl: "http://127.0.0.1:1" });
  return clerk.users.getUser(id);
}

describe("toProfileView", () => {
  it("holds exactly the fields the page shows", async () => {
    const ada = SEED_USERS[0];
    const view = toProfileView(await sdkUser(ada?.id ?? ""));
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
    const view = toProfileView(await sdkUser("user_edgeMarked"));
    const serialised = JSON.stringify(view);
    expect(serialised).not.toContain(BACKEND_ONLY_MARKER);
    expect(serialised).not.toMatch(/metadata|banned|locked/i);
  });

  it("shows a user created at the smallest int64 without a date, instead of throwing", async () => {
    const view = toProfileView(await sdkUser("user_edgeMinCreatedAt"));
    expect(view?.memberSince).toBeNull();
    expect(view?.fullName).toBe("Edge Case");
  });

  it("shows a user without email addresses", async () => {
    expect(toProfileView(await sdkUser("user_edgeNoEmails"))?.emails).toEqual([]);
  });

  it("shows an email address sent without its id, as not primary", async () => {
    expect(toProfileView(await sdkUser("user_edgeEmailWithoutId"))?.emails).toEqual([
      { address: "no-id@example.com", verified: false, primary: false },
    ]);
  });

  it("reads fields of the wrong type as absent and refuses only an answer without an id", () => {
    expect(
      toProfileView({
        id: "user_1",
        firstName: 7,
        lastName: null,
        emailAddresses: "nope",
        createdAt: "yesterday",
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
    expect(toProfileView({ firstName: "Ada" })).toBeNull();
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
