import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BackendApiError, fieldErrors } from "~/clerk/backend-api-error";
import { readBackendApi } from "~/clerk/backend-api.server";
import { type ClerkEmulator, createClerkEmulator } from "../../clerk-emulator/emulator";
import { SEED_USERS } from "../../clerk-emulator/seed-users";

const SECRET = "sk_test_emulator";
const API_URL = "http://127.0.0.1:4010";
const [ADA] = SEED_USERS;
if (!ADA) throw new Error("the emulator seeds users");

let emulator: ClerkEmulator;
let serve: (request: Request) => Promise<Response>;

// Clerk's SDK calls the global fetch; the emulator answers it in-process.
beforeEach(() => {
  emulator = createClerkEmulator();
  serve = (request) => emulator.fetch(request);
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
    serve(new Request(input, init)),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function api(deadlineMs?: number) {
  const result = readBackendApi({ secretKey: SECRET, apiUrl: API_URL }, { deadlineMs });
  if (!result.ok) throw result.error;
  return result.api;
}

async function failure(promise: Promise<unknown>): Promise<BackendApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BackendApiError);
  return error as BackendApiError;
}

describe("readBackendApi", () => {
  it.each([null, "", "  "])(
    "says CLERK_SECRET_KEY is missing (%o) and how to set it, calling nothing",
    (secretKey) => {
      const result = readBackendApi({ secretKey, apiUrl: API_URL });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("missing_secret_key");
      expect(result.error.message).toContain("CLERK_SECRET_KEY is not set");
      expect(result.error.message).toContain("wrangler pages secret put CLERK_SECRET_KEY");
      expect(emulator.requests).toEqual([]);
    },
  );
});

describe("calls through Clerk's SDK", () => {
  it("reads a user with the Bearer key and the pinned Clerk-API-Version header", async () => {
    const user = await api().call((clerk) => clerk.users.getUser(ADA.id));
    expect(user.id).toBe(ADA.id);
    expect(user.firstName).toBe("Ada");
    const [call] = emulator.requests;
    expect(call?.path).toBe(`/v1/users/${ADA.id}`);
    expect(call?.headers.authorization).toMatch(/^Bearer /);
    expect(call?.headers["clerk-api-version"]).toBe("2026-05-12");
  });

  it("sends only the fields it is given, so PATCH leaves the others alone", async () => {
    await api().call((clerk) => clerk.users.updateUser(ADA.id, { lastName: "Byron" }));
    const patch = emulator.requests.find((request) => request.method === "PATCH");
    expect(patch?.json).toEqual({ last_name: "Byron" });
    expect(emulator.getUser(ADA.id)).toMatchObject({ firstName: "Ada", lastName: "Byron" });
  });

  it("gives Clerk's per-field refusals as field errors", async () => {
    const error = await failure(
      api().call((clerk) => clerk.users.updateUser(ADA.id, { firstName: "x".repeat(300) })),
    );
    expect(error.status).toBe(422);
    expect(fieldErrors(error)).toEqual({ first_name: expect.stringContaining("256") });
  });

  it("maps a missing user to Clerk's code and status", async () => {
    const error = await failure(api().call((clerk) => clerk.users.getUser("user_nobody")));
    expect(error).toMatchObject({ status: 404, code: "resource_not_found" });
  });
});

describe("the promises kept around the SDK", () => {
  it("gives up at the deadline although the SDK passes no AbortSignal", async () => {
    serve = () => new Promise<Response>(() => {});
    const started = Date.now();
    const error = await failure(api(50).call((clerk) => clerk.users.getUser(ADA.id)));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("50 ms");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reports an unreachable API as network_error without the fetch error's text", async () => {
    serve = () => Promise.reject(new TypeError(`fetch failed, Authorization: Bearer ${SECRET}`));
    const error = await failure(api().call((clerk) => clerk.users.getUser(ADA.id)));
    expect(error.code).toBe("network_error");
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });

  it("never puts the key in an error, even when Clerk's answer echoes it", async () => {
    serve = async () =>
      Response.json(
        {
          errors: [
            {
              code: "authentication_invalid",
              message: `bad key ${SECRET}`,
              long_message: `The key ${SECRET} is not valid.`,
            },
          ],
        },
        { status: 401, headers: { "content-type": "application/json" } },
      );
    const error = await failure(api().call((clerk) => clerk.users.getUser(ADA.id)));
    expect(error.status).toBe(401);
    expect(JSON.stringify({ message: error.message, errors: error.errors })).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
  });

  it("reports a failure without Clerk's error body as unexpected_response with its status", async () => {
    emulator.fail("backend", { kind: "status", status: 503 });
    const error = await failure(api().call((clerk) => clerk.users.getUser(ADA.id)));
    expect(error).toMatchObject({ status: 503, code: "unexpected_response" });
  });

  it("reports a truncated JSON answer as network_error", async () => {
    serve = async () =>
      new Response('{"id": "user_trunc', { headers: { "content-type": "application/json" } });
    const error = await failure(api().call((clerk) => clerk.users.getUser(ADA.id)));
    expect(error.code).toBe("network_error");
  });

  it("passes on, unchecked, a 200 the SDK could not read as JSON (callers must narrow it)", async () => {
    emulator.fail("backend", { kind: "malformed-json" });
    const user: unknown = await api().call((clerk) => clerk.users.getUser(ADA.id));
    expect(typeof user).toBe("string");
  });
});
