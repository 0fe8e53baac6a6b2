import { beforeEach, describe, expect, it } from "vitest";
import { BACKEND_ONLY_MARKER, EDGE_USERS, SEED_USERS } from "../src/seed-users";
import type { userJson } from "../src/user-json";
import { type EmulatorUnderTest, inProcessEmulator } from "./support";

let clerk: EmulatorUnderTest;
let clock = 0;

beforeEach(() => {
  clock = Date.UTC(2026, 0, 1);
  clerk = inProcessEmulator({ now: () => clock, users: [...SEED_USERS, ...EDGE_USERS] });
});

const ADA = SEED_USERS[0]?.id ?? "";
const GRACE = SEED_USERS[1]?.id ?? "";
const AUTH = { authorization: "Bearer sk_test_emulator" };

function bapi(path: string, init: { method?: string; body?: unknown; headers?: HeadersInit } = {}) {
  return clerk.fetch(`${clerk.origin}/v1${path}`, {
    method: init.method ?? "GET",
    headers: { ...AUTH, "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

type UserBody = ReturnType<typeof userJson>;

interface ClerkErrorsBody {
  errors: Array<{ code: string; meta?: { param_name?: string } }>;
}

describe("GET /v1/users/{id}", () => {
  it("returns Clerk's User object with a verified primary email", async () => {
    const response = await bapi(`/users/${ADA}`);
    expect(response.status).toBe(200);
    const user = (await response.json()) as UserBody;
    expect(user).toMatchObject({
      id: ADA,
      object: "user",
      username: "ada",
      first_name: "Ada",
      last_name: "Lovelace",
      image_url: expect.stringMatching(/^data:image\/svg\+xml,/),
      has_image: false,
      primary_email_address_id: expect.stringMatching(/^idn_/),
      email_addresses: [
        {
          object: "email_address",
          email_address: "ada@example.com",
          verification: { status: "verified", strategy: "email_code" },
        },
      ],
      public_metadata: { role: "admin" },
      banned: false,
      locked: false,
      last_sign_in_at: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect(user.email_addresses[0]?.id).toBe(user.primary_email_address_id);
  });

  it("labels every answer application/json exactly, as Clerk does and its SDK requires", async () => {
    for (const path of [`/users/${ADA}`, "/users/user_nobody"]) {
      expect((await bapi(path)).headers.get("content-type")).toBe("application/json");
    }
  });

  it("sends backend-only fields: private and unsafe metadata, banned and locked", async () => {
    const user = (await (await bapi("/users/user_edgeMarked")).json()) as UserBody;
    expect(user).toMatchObject({
      private_metadata: { note: BACKEND_ONLY_MARKER },
      unsafe_metadata: { note: BACKEND_ONLY_MARKER },
      banned: false,
      locked: false,
    });
  });

  it("serves users at the edges of the spec: int64 created_at, no emails, an email without id", async () => {
    const oldest = (await (await bapi("/users/user_edgeMinCreatedAt")).json()) as UserBody;
    expect(oldest.created_at).toBe(-9007199254740991);
    const noEmails = (await (await bapi("/users/user_edgeNoEmails")).json()) as UserBody;
    expect(noEmails.email_addresses).toEqual([]);
    expect(noEmails.primary_email_address_id).toBeNull();
    const noId = (await (await bapi("/users/user_edgeEmailWithoutId")).json()) as UserBody;
    expect(noId.email_addresses).toHaveLength(1);
    expect(noId.email_addresses[0]).not.toHaveProperty("id");
    expect(noId.email_addresses[0]?.email_address).toBe("no-id@example.com");
  });

  it("answers an unknown id with 404 resource_not_found", async () => {
    const response = await bapi("/users/user_nobody");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      errors: [{ message: "not found", code: "resource_not_found" }],
    });
  });

  it("refuses a missing or wrong secret key with 401 authentication_invalid", async () => {
    for (const headers of [{ authorization: "" }, { authorization: "Bearer sk_test_wrong" }]) {
      const response = await bapi(`/users/${ADA}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: "Invalid authentication",
            long_message: expect.any(String),
            code: "authentication_invalid",
          },
        ],
        clerk_trace_id: expect.any(String),
      });
    }
  });

  it("records the pinned API version and refuses header and query together", async () => {
    await bapi(`/users/${ADA}?__clerk_api_version=2025-11-10`);
    expect(clerk.emulator.lastApiVersion()).toBe("2025-11-10");
    await bapi(`/users/${ADA}`, { headers: { "clerk-api-version": "2026-05-12" } });
    expect(clerk.emulator.lastApiVersion()).toBe("2026-05-12");
    const both = await bapi(`/users/${ADA}?__clerk_api_version=2026-05-12`, {
      headers: { "clerk-api-version": "2026-05-12" },
    });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ errors: [{ code: "invalid_request_body" }] });
  });
});

describe("PATCH /v1/users/{id}", () => {
  it("updates names and username, bumps updated_at and keeps the change", async () => {
    clock += 5_000;
    const response = await bapi(`/users/${GRACE}`, {
      method: "PATCH",
      body: { first_name: "Amazing", last_name: null, username: "amazing_grace" },
    });
    expect(response.status).toBe(200);
    const user = (await response.json()) as UserBody;
    expect(user).toMatchObject({
      first_name: "Amazing",
      last_name: null,
      username: "amazing_grace",
    });
    expect(user.updated_at).toBe(clock);
    expect(clerk.emulator.getUser(GRACE)?.firstName).toBe("Amazing");
  });

  it("leaves fields absent from the body alone and clears those sent as null", async () => {
    const onlyLast = await bapi(`/users/${GRACE}`, { method: "PATCH", body: { last_name: "B" } });
    expect(await onlyLast.json()).toMatchObject({ first_name: "Grace", last_name: "B" });
    const cleared = await bapi(`/users/${GRACE}`, { method: "PATCH", body: { first_name: null } });
    expect(await cleared.json()).toMatchObject({
      first_name: null,
      last_name: "B",
      username: "grace",
    });
  });

  it.each([
    [{ first_name: 42 }, "form_param_format_invalid", "first_name"],
    [{ last_name: "x".repeat(257) }, "form_param_value_invalid", "last_name"],
    [{ username: "abc" }, "form_username_invalid_length", "username"],
    [{ username: "Has Space" }, "form_username_invalid_character", "username"],
    [{ username: "grace" }, "form_identifier_exists", "username"],
    [{ public_metadata: { role: "admin" } }, "form_param_unknown", "public_metadata"],
  ])("refuses %o with 422 %s", async (body, code, param) => {
    const target = code === "form_identifier_exists" ? ADA : GRACE;
    const before = clerk.emulator.getUser(target);
    const response = await bapi(`/users/${target}`, { method: "PATCH", body });
    expect(response.status).toBe(422);
    const errors = (await response.json()) as ClerkErrorsBody;
    expect(errors.errors[0]).toMatchObject({ code, meta: { param_name: param } });
    expect(clerk.emulator.getUser(target)).toEqual(before);
  });

  it("still accepts metadata on PATCH when an older API version is pinned", async () => {
    const response = await bapi(`/users/${GRACE}`, {
      method: "PATCH",
      headers: { "clerk-api-version": "2025-11-10" },
      body: { public_metadata: { role: "editor" } },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ public_metadata: { role: "editor" } });
  });
});

describe("PATCH /v1/users/{id}/metadata", () => {
  it("deep-merges each metadata object and deletes keys set to null", async () => {
    await bapi(`/users/${ADA}/metadata`, {
      method: "PATCH",
      body: { public_metadata: { prefs: { lang: "en", beta: true } } },
    });
    const response = await bapi(`/users/${ADA}/metadata`, {
      method: "PATCH",
      body: {
        public_metadata: { prefs: { beta: null, tz: "UTC" } },
        private_metadata: { billingPlan: null, notes: "x" },
      },
    });
    expect(response.status).toBe(200);
    const user = (await response.json()) as UserBody;
    expect(user.public_metadata).toEqual({ role: "admin", prefs: { lang: "en", tz: "UTC" } });
    expect(user.private_metadata).toEqual({ notes: "x" });
    expect(user.unsafe_metadata).toEqual({ theme: "dark" });
  });

  it("refuses non-object metadata with 422", async () => {
    const response = await bapi(`/users/${ADA}/metadata`, {
      method: "PATCH",
      body: { public_metadata: "admin" },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: [{ code: "form_param_format_invalid", meta: { param_name: "public_metadata" } }],
    });
  });
});
