import { describe, expect, it } from "vitest";
import { parseClerkProfile } from "../../src/auth/clerk-responses.js";
import { toProfileView } from "../../src/clerk/profile-view.js";
import { parseClerkEvent } from "../../src/webhooks/clerk-event.js";

// A sign-in (userinfo), a webhook (a Backend API user) and a profile read must agree on the name a
// session shows, or the name changes depending on which of them wrote it last.
describe("one rule for the full name", () => {
  const userinfo = (claims: Record<string, unknown>) =>
    parseClerkProfile({ sub: "user_1", user_id: "user_1", ...claims })?.fullName;
  const webhook = (first: string | null, last: string | null) => {
    const parsed = parseClerkEvent(
      JSON.stringify({
        object: "event",
        type: "user.updated",
        data: { id: "user_1", object: "user", first_name: first, last_name: last },
      }),
    );
    return parsed?.type === "user.updated" ? parsed.user.fullName : undefined;
  };
  const profile = (first: string | null, last: string | null) =>
    toProfileView({ id: "user_1", first_name: first, last_name: last })?.fullName;

  it("is first and last name joined, whatever Clerk's own name claim says", () => {
    const name = "Ada Lovelace";
    expect(userinfo({ given_name: "Ada", family_name: "Lovelace", name: "Countess Ada" })).toBe(
      name,
    );
    expect(webhook("Ada", "Lovelace")).toBe(name);
    expect(profile("Ada", "Lovelace")).toBe(name);
  });

  it("is one part alone when the other is empty", () => {
    expect(userinfo({ given_name: "Ada" })).toBe("Ada");
    expect(webhook(null, "Lovelace")).toBe("Lovelace");
    expect(profile("Ada", "")).toBe("Ada");
  });

  it("falls back to Clerk's name claim only when both parts are empty, and is null without one", () => {
    expect(userinfo({ name: "Ada" })).toBe("Ada");
    expect(userinfo({})).toBeNull();
    expect(webhook(null, null)).toBeNull();
    expect(profile(null, null)).toBeNull();
  });
});
