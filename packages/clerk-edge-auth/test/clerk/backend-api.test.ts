import { beforeEach, describe, expect, it } from "vitest";
import { BackendApiError, fieldErrors } from "../../src/clerk/backend-api-error.js";
import { type BackendApiOptions, readBackendApi } from "../../src/clerk/backend-api.server.js";
import { type ClerkEmulator, DEFAULT_SECRET_KEY, createClerkEmulator } from "clerk-oauth-emulator";
import { SEED_USERS } from "clerk-oauth-emulator";
import { caught } from "../../../../test/support/catch-response";

const API_URL = "http://127.0.0.1:4010";
const [ADA] = SEED_USERS;
if (!ADA) throw new Error("the emulator seeds users");

let emulator: ClerkEmulator;
let serve: (request: Request) => Promise<Response>;
/** Every call handed to fetch, as the client made it. */
let calls: Array<{ request: Request; init: RequestInit | undefined }>;

// The emulator answers in-process through the injected fetch: no server, no global stub.
beforeEach(() => {
  emulator = createClerkEmulator();
  serve = (request) => emulator.fetch(request);
  calls = [];
});

const recordingFetch: typeof fetch = async (input, init) => {
  calls.push({ request: new Request(input, init), init });
  return serve(new Request(input, init));
};

function api(secretKey = DEFAULT_SECRET_KEY, options: BackendApiOptions = {}) {
  const result = readBackendApi(
    { secretKey, apiUrl: API_URL },
    { fetch: recordingFetch, ...options },
  );
  if (!result.ok) throw result.error;
  return result.api;
}

function answer(status: number, body: unknown): () => Promise<Response> {
  return async () =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
}

describe("readBackendApi", () => {
  it.each([null, "", "  "])(
    "says CLERK_SECRET_KEY is missing (%o) and how to set it, calling nothing",
    (secretKey) => {
      const result = readBackendApi({ secretKey, apiUrl: API_URL }, { fetch: recordingFetch });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ status: null, code: "missing_secret_key" });
      expect(result.error.message).toContain("CLERK_SECRET_KEY is not set");
      expect(result.error.message).toContain(".dev.vars");
      expect(result.error.message).toContain("wrangler pages secret put CLERK_SECRET_KEY");
      expect(result.error.message).toContain(
        "wrangler secret put CLERK_SECRET_KEY -c wrangler.workers.toml",
      );
      expect(calls).toEqual([]);
    },
  );
});

describe("getUser", () => {
  it("reads GET /v1/users/{id} with the Bearer key and the pinned Clerk-API-Version header, not the query", async () => {
    const user = await api().getUser(ADA.id);
    expect(user).toMatchObject({ object: "user", id: ADA.id, first_name: "Ada" });
    const [call] = calls;
    expect(call?.request.method).toBe("GET");
    expect(call?.request.url).toBe(`${API_URL}/v1/users/${ADA.id}`);
    expect(call?.request.headers.get("authorization")).toBe(`Bearer ${DEFAULT_SECRET_KEY}`);
    expect(call?.request.headers.get("clerk-api-version")).toBe("2026-05-12");
    expect(call?.request.headers.get("content-type")).toBeNull();
    expect(emulator.lastApiVersion()).toBe("2026-05-12");
  });

  it("hands over a 2xx body that is not JSON as null, for the caller to refuse", async () => {
    emulator.fail("backend", { kind: "malformed-json" });
    expect(await api().getUser(ADA.id)).toBeNull();
  });
});

describe("updateUser", () => {
  it("sends a JSON body with only the fields given, so PATCH leaves the others alone", async () => {
    const saved = await api().updateUser(ADA.id, { lastName: "Byron" });
    expect(saved).toMatchObject({ id: ADA.id, first_name: "Ada", last_name: "Byron" });
    const [call] = calls;
    expect(call?.request.method).toBe("PATCH");
    expect(call?.request.url).toBe(`${API_URL}/v1/users/${ADA.id}`);
    expect(call?.request.headers.get("content-type")).toBe("application/json");
    expect(call?.request.headers.get("clerk-api-version")).toBe("2026-05-12");
    expect(await call?.request.json()).toEqual({ last_name: "Byron" });
    expect(emulator.getUser(ADA.id)).toMatchObject({ firstName: "Ada", lastName: "Byron" });
  });

  it("sends null for a name to clear", async () => {
    await api().updateUser(ADA.id, { firstName: null });
    expect(await calls[0]?.request.json()).toEqual({ first_name: null });
    expect(emulator.getUser(ADA.id)?.firstName).toBeNull();
  });

  it("gives Clerk's per-field refusals as field errors with the trace id, changing nothing", async () => {
    const error = await caught(
      api().updateUser(ADA.id, { firstName: "x".repeat(300) }),
      BackendApiError,
    );
    expect(error.status).toBe(422);
    expect(error.code).toMatch(/^form_/);
    expect(error.traceId).toEqual(expect.any(String));
    expect(fieldErrors(error)).toEqual({ first_name: expect.stringContaining("256") });
    expect(emulator.getUser(ADA.id)?.firstName).toBe("Ada");
  });
});

describe("the deadline on every call", () => {
  it("hands fetch a signal that aborts at the deadline, and gives up with timeout", async () => {
    serve = () => new Promise<Response>(() => {});
    const started = Date.now();
    const error = await caught(
      api(DEFAULT_SECRET_KEY, { deadlineMs: 50 }).getUser(ADA.id),
      BackendApiError,
    );
    expect(error).toMatchObject({ status: null, code: "timeout" });
    expect(error.message).toContain("50 ms");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(calls[0]?.init?.signal?.aborted).toBe(true);
  });

  it("covers the body too: an answer whose body never ends times out", async () => {
    serve = async () =>
      new Response(
        new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array([123])) }),
        {
          headers: { "content-type": "application/json" },
        },
      );
    const error = await caught(
      api(DEFAULT_SECRET_KEY, { deadlineMs: 50 }).updateUser(ADA.id, { firstName: "A" }),
      BackendApiError,
    );
    expect(error.code).toBe("timeout");
  });
});

describe("errors", () => {
  it("maps an unknown user to Clerk's code and status", async () => {
    const error = await caught(api().getUser("user_nobody"), BackendApiError);
    expect(error).toMatchObject({ status: 404, code: "resource_not_found" });
  });

  it("maps a wrong key to 401 authentication_invalid", async () => {
    const error = await caught(api("sk_test_wrong").getUser(ADA.id), BackendApiError);
    expect(error).toMatchObject({ status: 401, code: "authentication_invalid" });
  });

  it("passes Clerk's code through for a 500 with Clerk's error body", async () => {
    emulator.fail("backend", { kind: "status", status: 500 });
    const error = await caught(api().getUser(ADA.id), BackendApiError);
    expect(error).toMatchObject({ status: 500, code: "internal_clerk_error" });
  });

  it("reports a failure without Clerk's error body as unexpected_response with its status", async () => {
    serve = answer(502, "<html>Bad gateway</html>");
    const error = await caught(api().getUser(ADA.id), BackendApiError);
    expect(error).toMatchObject({ status: 502, code: "unexpected_response", errors: [] });
    expect(error.message).toContain("502");
  });

  it("reports an unreachable API as network_error, keeping nothing of what fetch threw", async () => {
    serve = () => Promise.reject(new TypeError("fetch failed"));
    const error = await caught(api().getUser(ADA.id), BackendApiError);
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(error.cause).toBeUndefined();
  });

  it.each([
    "",
    "USER_1",
    "user_",
    "user_abc/metadata",
    "user_abc?x=1",
    "..",
    "user_ab%2F",
    "sess_abc",
  ])("refuses the user id %j without sending anything", async (userId) => {
    const errors = await Promise.all([
      caught(api().getUser(userId), BackendApiError),
      caught(api().updateUser(userId, { firstName: "x" }), BackendApiError),
    ]);
    for (const error of errors)
      expect(error).toMatchObject({ status: null, code: "invalid_user_id" });
    expect(calls).toEqual([]);
  });
});

describe("the secret key stays with Clerk", () => {
  it("never follows a redirect: fetch is told not to, and a 3xx is a failure", async () => {
    serve = async () =>
      new Response(null, {
        status: 307,
        headers: { location: "https://elsewhere.example/v1/users" },
      });
    const error = await caught(api().getUser(ADA.id), BackendApiError);
    expect(calls.map((call) => call.init?.redirect)).toEqual(["manual"]);
    expect(error).toMatchObject({ status: 307, code: "unexpected_response" });
  });

  it("is in no error, message or stack, whatever the failure echoes", async () => {
    const secretKey = "sk_test_s3cr3t_never_shown";
    const echo = `The key ${secretKey} is revoked.`;
    const failures: Array<() => Promise<Response>> = [
      answer(401, {
        errors: [{ code: "authentication_invalid", message: echo, long_message: echo }],
      }),
      answer(422, {
        errors: [
          { code: "form_param_format_invalid", message: echo, meta: { param_name: "first_name" } },
        ],
      }),
      answer(502, echo),
      () => Promise.reject(new TypeError(`fetch failed, Authorization: Bearer ${secretKey}`)),
      () => new Promise<Response>(() => {}),
    ];
    const errors: BackendApiError[] = [];
    for (const fail of failures) {
      serve = fail;
      errors.push(
        await caught(
          api(secretKey, { deadlineMs: 50 }).updateUser(ADA.id, { firstName: "A" }),
          BackendApiError,
        ),
      );
    }
    expect(errors.map((error) => error.code)).toEqual([
      "authentication_invalid",
      "form_param_format_invalid",
      "unexpected_response",
      "network_error",
      "timeout",
    ]);
    expect(errors[0]?.message).toBe("The key [redacted] is revoked.");
    expect(fieldErrors(errors[1])).toEqual({ first_name: "The key [redacted] is revoked." });
    for (const error of errors) {
      const shown = JSON.stringify({ ...error, message: error.message, stack: error.stack });
      expect(shown).not.toContain(secretKey);
      expect(error.cause).toBeUndefined();
    }
  });
});
