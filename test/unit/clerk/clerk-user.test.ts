import { describe, expect, it } from "vitest";
import { BackendApiError } from "~/clerk/backend-api-error";
import { parseClerkUser } from "~/clerk/clerk-user";

const apiUser = () => ({
  id: "user_2abc",
  object: "user",
  username: "ada",
  first_name: "Ada",
  last_name: "Lovelace",
  image_url: "https://img.clerk.com/ada.png",
  has_image: true,
  primary_email_address_id: "idn_2",
  email_addresses: [
    { id: "idn_1", email_address: "old@example.com", verification: { status: "unverified" } },
    { id: "idn_2", email_address: "ada@example.com", verification: { status: "verified" } },
    { id: "idn_3", email_address: "none@example.com", verification: null },
  ],
  public_metadata: { role: "admin" },
  private_metadata: {},
  unsafe_metadata: { theme: "dark" },
  banned: false,
  locked: true,
  last_sign_in_at: 1_700_000_000_000,
  created_at: 1_600_000_000_000,
  updated_at: 1_650_000_000_000,
  password_enabled: true,
});

function expectUnexpected(json: unknown): void {
  let caught: unknown;
  try {
    parseClerkUser(json);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(BackendApiError);
  expect(caught).toMatchObject({ code: "unexpected_response" });
}

describe("parseClerkUser", () => {
  it("maps a Backend API user to camelCase and resolves the primary email", () => {
    expect(parseClerkUser(apiUser())).toEqual({
      id: "user_2abc",
      username: "ada",
      firstName: "Ada",
      lastName: "Lovelace",
      imageUrl: "https://img.clerk.com/ada.png",
      hasImage: true,
      primaryEmailAddress: "ada@example.com",
      emailAddresses: [
        { id: "idn_1", emailAddress: "old@example.com", verified: false },
        { id: "idn_2", emailAddress: "ada@example.com", verified: true },
        { id: "idn_3", emailAddress: "none@example.com", verified: false },
      ],
      publicMetadata: { role: "admin" },
      privateMetadata: {},
      unsafeMetadata: { theme: "dark" },
      banned: false,
      locked: true,
      lastSignInAt: 1_700_000_000_000,
      createdAt: 1_600_000_000_000,
      updatedAt: 1_650_000_000_000,
    });
  });

  it("fills absent or null optional fields with empty values", () => {
    const user = parseClerkUser({
      id: "user_1",
      object: "user",
      username: null,
      primary_email_address_id: null,
      last_sign_in_at: null,
      created_at: 1,
      updated_at: 2,
    });
    expect(user).toMatchObject({
      username: null,
      firstName: null,
      imageUrl: null,
      hasImage: false,
      primaryEmailAddress: null,
      emailAddresses: [],
      publicMetadata: {},
      banned: false,
      lastSignInAt: null,
    });
  });

  it("has no primary email when the primary id matches no address", () => {
    expect(parseClerkUser({ ...apiUser(), primary_email_address_id: "idn_9" })).toMatchObject({
      primaryEmailAddress: null,
    });
  });

  it("accepts a trimmed user: only id, with the first address as primary", () => {
    expect(
      parseClerkUser({
        id: "user_1",
        email_addresses: [{ id: "idn_1", email_address: "a@example.com" }],
      }),
    ).toMatchObject({
      id: "user_1",
      primaryEmailAddress: "a@example.com",
      createdAt: null,
      updatedAt: null,
    });
  });

  it.each([
    ["null", null],
    ["an array", [apiUser()]],
    ["a user without id", { ...apiUser(), id: undefined }],
    ["a numeric id", { ...apiUser(), id: 42 }],
    ["an empty id", { ...apiUser(), id: "" }],
    ["another object type", { ...apiUser(), object: "organization" }],
    ["a numeric first_name", { ...apiUser(), first_name: 1 }],
    ["a string banned", { ...apiUser(), banned: "no" }],
    ["array metadata", { ...apiUser(), public_metadata: [] }],
    ["a string created_at", { ...apiUser(), created_at: "yesterday" }],
    ["email_addresses that is not an array", { ...apiUser(), email_addresses: {} }],
    ["an email address without email_address", { ...apiUser(), email_addresses: [{ id: "x" }] }],
  ])("refuses %s as unexpected_response", (_label, json) => {
    expectUnexpected(json);
  });
});
