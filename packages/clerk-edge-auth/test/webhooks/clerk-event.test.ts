import { describe, expect, it } from "vitest";
import { parseClerkEvent } from "../../src/webhooks/clerk-event.js";

const clerkUser = {
  id: "user_1",
  object: "user",
  first_name: "Ada",
  last_name: "Lovelace",
  username: "ada",
  image_url: "https://img.example/ada.png",
  primary_email_address_id: "idn_2",
  email_addresses: [
    { id: "idn_1", email_address: "old@example.com", verification: { status: "verified" } },
    { id: "idn_2", email_address: "ada@example.com", verification: { status: "verified" } },
  ],
  public_metadata: { role: "admin" },
  private_metadata: { secret: "never" },
  unsafe_metadata: { theme: "dark" },
  banned: false,
  locked: false,
};

const event = (type: string, data: unknown) => JSON.stringify({ object: "event", type, data });

describe("parseClerkEvent", () => {
  it("keeps only the public fields of an updated user, with the primary email", () => {
    expect(parseClerkEvent(event("user.updated", clerkUser))).toEqual({
      type: "user.updated",
      userId: "user_1",
      banned: false,
      locked: false,
      user: {
        email: "ada@example.com",
        emailVerified: true,
        firstName: "Ada",
        lastName: "Lovelace",
        fullName: "Ada Lovelace",
        username: "ada",
        imageUrl: "https://img.example/ada.png",
        publicMetadata: { role: "admin" },
      },
      updatedAt: null,
    });
  });

  it("reads Clerk's updated_at of the user, so older events can be told apart", () => {
    const stamped = { ...clerkUser, updated_at: 1_764_000_000_123 };
    expect(parseClerkEvent(event("user.updated", stamped))).toMatchObject({
      updatedAt: 1_764_000_000_123,
    });
    const garbled = { ...clerkUser, updated_at: "yesterday" };
    expect(parseClerkEvent(event("user.updated", garbled))).toMatchObject({ updatedAt: null });
  });

  it("reports a ban or a lock", () => {
    const banned = parseClerkEvent(event("user.updated", { ...clerkUser, banned: true }));
    const locked = parseClerkEvent(event("user.updated", { ...clerkUser, locked: true }));
    expect(banned).toMatchObject({ banned: true, locked: false });
    expect(locked).toMatchObject({ banned: false, locked: true });
  });

  it("reads a deletion from Clerk's deleted-user stub", () => {
    const deleted = { object: "user", id: "user_1", deleted: true };
    expect(parseClerkEvent(event("user.deleted", deleted))).toEqual({
      type: "user.deleted",
      userId: "user_1",
    });
  });

  it("gives no email when the primary id matches no address", () => {
    const parsed = parseClerkEvent(
      event("user.updated", { ...clerkUser, primary_email_address_id: "idn_9" }),
    );
    expect(parsed).toMatchObject({ user: { email: null, emailVerified: false } });
  });

  it("names other event types so they can be acknowledged and ignored", () => {
    expect(parseClerkEvent(event("session.created", { id: "sess_1" }))).toEqual({
      type: "ignored",
      name: "session.created",
    });
  });

  it("is null for a body that is not a Clerk event", () => {
    for (const body of ["not json", "[]", '{"data":{}}', event("user.deleted", {}), "null"]) {
      expect(parseClerkEvent(body)).toBeNull();
    }
  });
});
