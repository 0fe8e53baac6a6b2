import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEPENDENCY_FAILED_STATUS } from "../../src/http/page-answer.js";
import {
  type ProfileOwner,
  type SessionNamePatch,
  loadProfile,
  saveProfile,
} from "../../src/clerk/profile.server.js";
import { type ClerkEmulator, createClerkEmulator } from "clerk-oauth-emulator";
import { EDGE_USERS, SEED_USERS } from "clerk-oauth-emulator";

const BACKEND = { secretKey: "sk_test_emulator", apiUrl: "http://127.0.0.1:4010" };
const NO_KEY = { secretKey: null, apiUrl: BACKEND.apiUrl };
const GRACE = SEED_USERS[1];
if (!GRACE) throw new Error("the emulator seeds Grace");
const OWNER: ProfileOwner = {
  id: GRACE.id,
  firstName: "Grace",
  lastName: "Hopper",
  fullName: "Grace Hopper",
  username: "grace",
};

let emulator: ClerkEmulator;
let serve: (request: Request) => Promise<Response>;
let sessionPatches: SessionNamePatch[];
const session = {
  async updateSessionUser(patch: SessionNamePatch) {
    sessionPatches.push(patch);
  },
};

beforeEach(() => {
  emulator = createClerkEmulator({ users: [...SEED_USERS, ...EDGE_USERS] });
  serve = (request) => emulator.fetch(request);
  sessionPatches = [];
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
    serve(new Request(input, init)),
  );
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const patches = () => emulator.requests.filter((request) => request.method === "PATCH");

describe("loadProfile", () => {
  it.each(EDGE_USERS.map((user) => [user.id]))(
    "shows %s, a user Clerk's spec allows, with a 200",
    async (id) => {
      const { body, status } = await loadProfile(BACKEND, id);
      expect(status).toBe(200);
      expect(body.status).toBe("ok");
    },
  );

  it("says the key is missing with the Clerk-failed status, calling nothing", async () => {
    const { body, status } = await loadProfile(NO_KEY, GRACE.id);
    expect(status).toBe(DEPENDENCY_FAILED_STATUS);
    expect(body).toEqual({
      status: "unavailable",
      message: expect.stringContaining("CLERK_SECRET_KEY is not set"),
    });
    expect(emulator.requests).toEqual([]);
  });

  it.each([
    ["a 500", { kind: "status", status: 500 } as const],
    ["a 404", { kind: "status", status: 404 } as const],
    ["a 200 that is not JSON", { kind: "malformed-json" } as const],
  ])("answers %s from Clerk with the one Clerk-failed status", async (_, fault) => {
    emulator.fail("backend", fault);
    const { body, status } = await loadProfile(BACKEND, GRACE.id);
    expect(status).toBe(DEPENDENCY_FAILED_STATUS);
    expect(body.status).toBe("unavailable");
  });

  it("logs a failure as a warning with its code, never the key", async () => {
    serve = async () =>
      Response.json(
        { errors: [{ code: "authentication_invalid", message: `bad ${BACKEND.secretKey}` }] },
        { status: 401, headers: { "content-type": "application/json" } },
      );
    const { body } = await loadProfile(BACKEND, GRACE.id);
    const logged = JSON.stringify(vi.mocked(console.warn).mock.calls);
    expect(logged).toContain("authentication_invalid");
    expect(logged).not.toContain(BACKEND.secretKey);
    expect(JSON.stringify(body)).not.toContain(BACKEND.secretKey);
  });

  it("shows Clerk's own error text nowhere but beside a field", async () => {
    serve = async () =>
      Response.json(
        { errors: [{ code: "internal", message: "x", long_message: "Shard 7 is on fire" }] },
        { status: 500, headers: { "content-type": "application/json" } },
      );
    const { body } = await loadProfile(BACKEND, GRACE.id);
    expect(JSON.stringify(body)).not.toContain("Shard 7");
  });
});

describe("saveProfile", () => {
  it("changes only the posted field at Clerk and only what changed in the session", async () => {
    const { body, status } = await saveProfile(
      BACKEND,
      OWNER,
      form({ lastName: "Brewster" }),
      session,
    );
    expect({ body, status }).toEqual({ body: { ok: true }, status: 200 });
    expect(patches().map((request) => request.json)).toEqual([{ last_name: "Brewster" }]);
    expect(emulator.getUser(GRACE.id)).toMatchObject({ firstName: "Grace", lastName: "Brewster" });
    expect(sessionPatches).toEqual([{ lastName: "Brewster", fullName: "Grace Brewster" }]);
  });

  it("clears a name posted empty", async () => {
    await saveProfile(BACKEND, OWNER, form({ firstName: "" }), session);
    expect(patches().map((request) => request.json)).toEqual([{ first_name: null }]);
    expect(sessionPatches).toEqual([{ firstName: null, fullName: "Hopper" }]);
  });

  it("reports a save Clerk accepted as saved, even when the user it returns is extreme", async () => {
    const owner = { ...OWNER, id: "user_edgeMinCreatedAt", firstName: "Edge", lastName: "Case" };
    const { status, body } = await saveProfile(BACKEND, owner, form({ firstName: "Ed" }), session);
    expect({ status, body }).toEqual({ status: 200, body: { ok: true } });
  });

  it("reports a save Clerk accepted as saved when its answer cannot be read", async () => {
    serve = async (request) => {
      await emulator.fetch(request);
      return new Response("<html>ok</html>", { headers: { "content-type": "text/html" } });
    };
    const { status } = await saveProfile(BACKEND, OWNER, form({ firstName: "Amazing" }), session);
    expect(status).toBe(200);
    expect(sessionPatches).toEqual([{ firstName: "Amazing", fullName: "Amazing Hopper" }]);
  });

  it("still reports saved when the session's copy cannot follow", async () => {
    const failing = {
      async updateSessionUser() {
        throw new Error("KV is down");
      },
    };
    const { status, body } = await saveProfile(BACKEND, OWNER, form({ firstName: "A" }), failing);
    expect({ status, body }).toEqual({ status: 200, body: { ok: true } });
    expect(emulator.getUser(GRACE.id)?.firstName).toBe("A");
  });

  it("shows Clerk's per-field refusal beside the field with a 422", async () => {
    serve = async () =>
      Response.json(
        {
          errors: [
            {
              code: "form_param_format_invalid",
              message: "is invalid",
              long_message: "first_name is not allowed here.",
              meta: { param_name: "first_name" },
            },
          ],
        },
        { status: 422, headers: { "content-type": "application/json" } },
      );
    const { status, body } = await saveProfile(BACKEND, OWNER, form({ firstName: "X" }), session);
    expect(status).toBe(422);
    expect(body).toEqual({
      ok: false,
      fieldErrors: { firstName: "first_name is not allowed here." },
      formError: null,
    });
    expect(sessionPatches).toEqual([]);
  });

  it("answers a Clerk failure with the Clerk-failed status and keeps the session", async () => {
    emulator.fail("backend", { kind: "status", status: 500 });
    const { status, body } = await saveProfile(BACKEND, OWNER, form({ firstName: "N" }), session);
    expect(status).toBe(DEPENDENCY_FAILED_STATUS);
    expect(body).toMatchObject({ ok: false, formError: expect.any(String) });
    expect(sessionPatches).toEqual([]);
  });

  it("without the key says so with the Clerk-failed status and calls nothing", async () => {
    const { status } = await saveProfile(NO_KEY, OWNER, form({ firstName: "N" }), session);
    expect(status).toBe(DEPENDENCY_FAILED_STATUS);
    expect(emulator.requests).toEqual([]);
  });

  it("refuses bad input or a body that is not a form with a 400, calling nothing", async () => {
    expect(
      (await saveProfile(BACKEND, OWNER, form({ firstName: "A\u202eB" }), session)).status,
    ).toBe(400);
    expect((await saveProfile(BACKEND, OWNER, null, session)).status).toBe(400);
    expect(emulator.requests).toEqual([]);
  });
});
