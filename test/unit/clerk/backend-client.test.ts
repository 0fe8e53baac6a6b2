import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BackendApiError, fieldErrors } from "~/clerk/backend-api-error";
import {
  type BackendClientOptions,
  CLERK_API_VERSION,
  createBackendClient,
} from "~/clerk/backend-client.server";
import { DEFAULT_SECRET_KEY, SEED_USERS } from "../../clerk-emulator/emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "../../clerk-emulator/server";

const [ADA, GRACE] = SEED_USERS;
if (!ADA || !GRACE) throw new Error("the emulator seeds at least two users");

let running: RunningClerkEmulator;

beforeEach(async () => {
  running = await startClerkEmulator();
});

afterEach(async () => {
  await running.close();
});

function client(options: Partial<BackendClientOptions> = {}) {
  return createBackendClient({ secretKey: DEFAULT_SECRET_KEY, apiUrl: running.origin, ...options });
}

// A port that was just listening and is now closed, so connecting is refused.
async function closedOrigin(): Promise<string> {
  const spare = await startClerkEmulator();
  await spare.close();
  return spare.origin;
}

async function failure(promise: Promise<unknown>): Promise<BackendApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("users.getUser", () => {
  it("returns the user as the Backend API describes them", async () => {
    const user = await client().users.getUser(ADA.id);
    expect(user).toEqual({
      id: ADA.id,
      username: "ada",
      firstName: "Ada",
      lastName: "Lovelace",
      imageUrl: ADA.imageUrl,
      hasImage: false,
      primaryEmailAddress: "ada@example.com",
      emailAddresses: [
        { id: ADA.primaryEmailAddressId, emailAddress: "ada@example.com", verified: true },
      ],
      publicMetadata: { role: "admin" },
      privateMetadata: { billingPlan: "analytical-engine" },
      unsafeMetadata: { theme: "dark" },
      banned: false,
      locked: false,
      lastSignInAt: null,
      createdAt: ADA.createdAt,
      updatedAt: ADA.updatedAt,
    });
  });

  it("sends the Bearer key, the pinned Clerk-API-Version header and no version query", async () => {
    await client().users.getUser(ADA.id);
    const [request] = running.emulator.requests;
    expect(request).toMatchObject({ method: "GET", path: `/v1/users/${ADA.id}`, query: {} });
    expect(request?.headers.authorization).toBe("Bearer …");
    expect(request?.headers["clerk-api-version"]).toBe(CLERK_API_VERSION);
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["content-type"]).toBeUndefined();
    expect(running.emulator.lastApiVersion()).toBe("2026-05-12");
  });

  it("sends another API version only when asked to", async () => {
    await client({ apiVersion: "2025-11-10" }).users.getUser(ADA.id);
    expect(running.emulator.lastApiVersion()).toBe("2025-11-10");
  });
});

describe("users.updateUser", () => {
  it("changes the names so that a later getUser sees them", async () => {
    const api = client();
    const updated = await api.users.updateUser(ADA.id, { firstName: "Augusta", lastName: "King" });
    expect(updated).toMatchObject({ firstName: "Augusta", lastName: "King", username: "ada" });
    expect(updated.updatedAt).toBeGreaterThan(ADA.updatedAt);
    expect(await api.users.getUser(ADA.id)).toMatchObject({
      firstName: "Augusta",
      lastName: "King",
    });
  });

  it("sends a snake_case JSON body with only the given keys, null clearing a field", async () => {
    const updated = await client().users.updateUser(ADA.id, { lastName: null });
    expect(updated).toMatchObject({ firstName: "Ada", lastName: null });
    const [request] = running.emulator.requests;
    expect(request).toMatchObject({ method: "PATCH", path: `/v1/users/${ADA.id}`, query: {} });
    expect(request?.json).toEqual({ last_name: null });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["clerk-api-version"]).toBe(CLERK_API_VERSION);
  });

  it("turns Clerk's 422 into field errors keyed by param_name and changes nothing", async () => {
    const api = client();
    const error = await failure(
      api.users.updateUser(ADA.id, { firstName: "x".repeat(300), username: "a" }),
    );
    expect(error.status).toBe(422);
    expect(error.code).toBe("form_param_value_invalid");
    expect(error.traceId).toEqual(expect.any(String));
    expect(fieldErrors(error)).toEqual({
      first_name: "first_name must be at most 256 characters.",
      username: "Username must be between 4 and 64 characters long.",
    });
    expect(await api.users.getUser(ADA.id)).toMatchObject({ firstName: "Ada", username: "ada" });
  });

  it("passes Clerk's form_identifier_exists through for a taken username", async () => {
    const error = await failure(client().users.updateUser(ADA.id, { username: "grace" }));
    expect(error).toMatchObject({ status: 422, code: "form_identifier_exists" });
    expect(fieldErrors(error)).toEqual({ username: "That username is taken. Please try another." });
  });
});

describe("users.updateUserMetadata", () => {
  it("deep-merges into the metadata, null deleting keys, and leaves other kinds alone", async () => {
    const api = client();
    await api.users.updateUserMetadata(ADA.id, {
      publicMetadata: { prefs: { lang: "en", tz: "UTC" } },
    });
    const updated = await api.users.updateUserMetadata(ADA.id, {
      publicMetadata: { role: null, prefs: { tz: null, clock: "24h" } },
      unsafeMetadata: { theme: null },
    });
    expect(updated.publicMetadata).toEqual({ prefs: { lang: "en", clock: "24h" } });
    expect(updated.unsafeMetadata).toEqual({});
    expect(updated.privateMetadata).toEqual({ billingPlan: "analytical-engine" });
    expect(await api.users.getUser(ADA.id)).toEqual(updated);

    const request = running.emulator.requests[1];
    expect(request).toMatchObject({ method: "PATCH", path: `/v1/users/${ADA.id}/metadata` });
    expect(request?.json).toEqual({
      public_metadata: { role: null, prefs: { tz: null, clock: "24h" } },
      unsafe_metadata: { theme: null },
    });
  });

  it("writes private metadata", async () => {
    const updated = await client().users.updateUserMetadata(GRACE.id, {
      privateMetadata: { stripeId: "cus_1" },
    });
    expect(updated.privateMetadata).toEqual({ stripeId: "cus_1" });
    expect(updated.publicMetadata).toEqual({});
  });
});

describe("Backend API errors", () => {
  it("maps a wrong secret key to 401 authentication_invalid", async () => {
    const error = await failure(client({ secretKey: "sk_test_wrong_key" }).users.getUser(ADA.id));
    expect(error).toMatchObject({ status: 401, code: "authentication_invalid" });
    expect(error.message).not.toContain("sk_test_wrong_key");
  });

  it("maps an unknown user to 404 resource_not_found", async () => {
    const error = await failure(client().users.getUser("user_doesNotExist"));
    expect(error).toMatchObject({ status: 404, code: "resource_not_found" });
  });

  it("passes Clerk's code through for a 500 with Clerk's error body", async () => {
    running.emulator.fail("backend", { kind: "status", status: 500 }, { times: 1 });
    const error = await failure(client().users.getUser(ADA.id));
    expect(error).toMatchObject({ status: 500, code: "internal_clerk_error" });
  });

  it("maps a 500 without Clerk's error body to unexpected_response", async () => {
    running.emulator.fail(
      "backend",
      { kind: "status", status: 500, body: { oops: true } },
      { times: 1 },
    );
    const error = await failure(client().users.getUser(ADA.id));
    expect(error).toMatchObject({ status: 500, code: "unexpected_response", errors: [] });
  });

  it("maps a 200 with malformed JSON to unexpected_response", async () => {
    running.emulator.fail("backend", { kind: "malformed-json" }, { times: 1 });
    const error = await failure(client().users.getUser(ADA.id));
    expect(error).toMatchObject({ status: 200, code: "unexpected_response" });
  });

  it("gives up with timeout when the answer takes longer than timeoutMs", async () => {
    running.emulator.fail("backend", { kind: "delay", ms: 5000 }, { times: 1 });
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 100 }).users.getUser(ADA.id));
    expect(error).toMatchObject({ status: null, code: "timeout" });
    expect(error.message).toContain("100 ms");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("maps a closed port to network_error", async () => {
    const error = await failure(client({ apiUrl: await closedOrigin() }).users.getUser(ADA.id));
    expect(error).toMatchObject({ status: null, code: "network_error" });
  });

  it.each([
    "",
    "USER_1",
    "user_",
    "user_abc/metadata",
    "user_abc?x=1",
    "../v1/users",
    "user_ab%2F",
    "sess_abc",
  ])("refuses the user id %j without sending a request", async (userId) => {
    const api = client();
    const errors = await Promise.all([
      failure(api.users.getUser(userId)),
      failure(api.users.updateUser(userId, { firstName: "x" })),
      failure(api.users.updateUserMetadata(userId, { publicMetadata: {} })),
    ]);
    for (const error of errors)
      expect(error).toMatchObject({ status: null, code: "invalid_user_id" });
    expect(running.emulator.requests).toEqual([]);
  });

  it("never puts the secret key in an error message, even when the server echoes it", async () => {
    const secretKey = "sk_test_s3cr3t_never_shown";
    await running.close();
    running = await startClerkEmulator({ secretKey });
    const echo = `The key ${secretKey} is revoked.`;
    running.emulator.fail(
      "backend",
      {
        kind: "status",
        status: 401,
        body: { errors: [{ code: "authentication_invalid", message: echo, long_message: echo }] },
      },
      { times: 1 },
    );
    running.emulator.fail("backend", { kind: "status", status: 502, body: echo }, { times: 1 });
    running.emulator.fail("backend", { kind: "malformed-json" }, { times: 1 });
    running.emulator.fail("backend", { kind: "delay", ms: 5000 }, { times: 1 });
    const api = client({ secretKey, timeoutMs: 100 });
    const errors = [
      await failure(api.users.getUser(ADA.id)),
      await failure(api.users.getUser(ADA.id)),
      await failure(api.users.getUser(ADA.id)),
      await failure(api.users.getUser(ADA.id)),
      await failure(api.users.getUser("user_missing")),
      await failure(api.users.updateUser(ADA.id, { username: "!" })),
      await failure(api.users.getUser("bad id")),
      await failure(client({ secretKey, apiUrl: await closedOrigin() }).users.getUser(ADA.id)),
    ];
    expect(errors.map((error) => error.code)).toEqual([
      "authentication_invalid",
      "unexpected_response",
      "unexpected_response",
      "timeout",
      "resource_not_found",
      "form_username_invalid_length",
      "invalid_user_id",
      "network_error",
    ]);
    expect(errors[0]?.message).toBe("The key [redacted] is revoked.");
    for (const error of errors) {
      const shown = [error.message, ...error.errors.flatMap((d) => [d.message, d.longMessage])];
      for (const text of shown) expect(text ?? "").not.toContain(secretKey);
    }
  });
});
