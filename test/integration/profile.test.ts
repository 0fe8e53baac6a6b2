import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EDGE_USERS, SEED_USERS } from "clerk-oauth-emulator";
import { APP_ORIGIN } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const GRACE = SEED_USERS[1] as (typeof SEED_USERS)[0];

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp({ users: [...SEED_USERS, ...EDGE_USERS] });
});
afterAll(() => env.close());
beforeEach(() => {
  env.clerk.emulator.reset();
  env.clerk.emulator.clearRequests();
});

async function signedIn(userId = GRACE.id): Promise<CookieJar> {
  const jar = new CookieJar();
  await signInThroughEmulator(env.app, jar, { userId });
  env.clerk.emulator.clearRequests();
  return jar;
}

function postProfile(jar: CookieJar, fields: Record<string, string>, origin = APP_ORIGIN) {
  return env.app.fetch("/profile", {
    method: "POST",
    jar,
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("/profile", () => {
  it("sends a signed-out visitor to sign in", async () => {
    const response = await env.app.fetch("/profile");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
  });

  it("shows the user as the Backend API returns them, read fresh with the pinned version", async () => {
    const jar = await signedIn();
    const response = await env.app.fetch("/profile", { jar });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(html).toContain(GRACE.id);
    expect(html).toContain("grace@example.com");
    expect(html).toMatch(/<form [^>]*method="post"/);
    const call = env.clerk.emulator.requests.find((r) => r.path === `/v1/users/${GRACE.id}`);
    expect(call?.method).toBe("GET");
    expect(call?.headers.authorization).toMatch(/^Bearer/);
    expect(call?.headers["clerk-api-version"]).toBe("2026-05-12");
  });

  it("changing the name without JavaScript updates Clerk, the page and /private", async () => {
    const jar = await signedIn();
    const response = await postProfile(jar, { firstName: "Amazing", lastName: "Grace" });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("Saved.");
    expect(env.clerk.emulator.getUser(GRACE.id)?.firstName).toBe("Amazing");
    const patch = env.clerk.emulator.requests.find((r) => r.method === "PATCH");
    expect(patch?.json).toEqual({ first_name: "Amazing", last_name: "Grace" });
    const privatePage = await (await env.app.fetch("/private", { jar })).text();
    expect(privatePage).toContain("Amazing Grace");
  });

  it.each([
    ["a name over 256 characters", { firstName: "x".repeat(300), lastName: "Ok" }, "firstName"],
    ["a control character", { firstName: "Ok", lastName: "Bad\u0007" }, "lastName"],
  ])(
    "refuses %s with a 400 and a message beside the field, calling nothing",
    async (_, fields, field) => {
      const jar = await signedIn();
      const response = await postProfile(jar, fields);
      const html = await response.text();
      expect(response.status).toBe(400);
      expect(html).toContain(`id="${field}-error"`);
      expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      expect(env.clerk.emulator.requests.filter((r) => r.method === "PATCH")).toEqual([]);
    },
  );

  it("a body that is not a form is a 400, not a 5xx", async () => {
    const jar = await signedIn();
    const response = await env.app.fetch("/profile", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN, "Content-Type": "multipart/form-data; boundary=x" },
      body: "not multipart",
    });
    expect(response.status).toBe(400);
  });

  it.each([
    [{ kind: "status", status: 500 } as const],
    [{ kind: "malformed-json" } as const],
    [{ kind: "status", status: 404 } as const],
  ])(
    "a Backend API failure (%o) shows the error with the one Clerk-failed status, 424",
    async (fault) => {
      const jar = await signedIn();
      env.clerk.emulator.fail("backend", fault);
      const response = await env.app.fetch("/profile", { jar });
      const html = await response.text();
      expect(response.status).toBe(424);
      expect(html).toContain('role="alert"');
      expect(html).not.toContain("sk_test_emulator");
    },
  );

  it("a failed update keeps the session's name and says why", async () => {
    const jar = await signedIn();
    env.clerk.emulator.fail("backend", { kind: "status", status: 500 }, { times: 1 });
    const response = await postProfile(jar, { firstName: "Nope", lastName: "Nope" });
    expect(response.status).toBe(424);
    expect(await response.text()).toContain('role="alert"');
    expect(await (await env.app.fetch("/private", { jar })).text()).not.toContain("Nope Nope");
  });

  it("a POST with only one name leaves the other alone at Clerk", async () => {
    const jar = await signedIn();
    const firstName = env.clerk.emulator.getUser(GRACE.id)?.firstName;
    expect(firstName).toEqual(expect.any(String));
    const response = await postProfile(jar, { lastName: "Brewster" });
    expect(response.status).toBe(200);
    const patch = env.clerk.emulator.requests.find((r) => r.method === "PATCH");
    expect(patch?.json).toEqual({ last_name: "Brewster" });
    expect(env.clerk.emulator.getUser(GRACE.id)).toMatchObject({ firstName, lastName: "Brewster" });
    const privatePage = await (await env.app.fetch("/private", { jar })).text();
    expect(privatePage).toContain(`${firstName} Brewster`);
  });

  it.each([
    ["U+202E (right-to-left override)", "Ada\u202eecalevoL"],
    ["U+200B (zero-width space)", "Ada\u200b"],
    ["U+2066 (left-to-right isolate)", "\u2066Ada"],
    ["U+FEFF (byte-order mark)", "\ufeffAda"],
  ])("refuses a name holding %s with a 400, calling nothing", async (_, firstName) => {
    const jar = await signedIn();
    const response = await postProfile(jar, { firstName, lastName: "Ok" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="firstName-error"');
    expect(env.clerk.emulator.requests.filter((r) => r.method === "PATCH")).toEqual([]);
  });

  it("stores a name NFC-normalised", async () => {
    const jar = await signedIn();
    await postProfile(jar, { firstName: "Jose\u0301" });
    expect(env.clerk.emulator.getUser(GRACE.id)?.firstName).toBe("Jos\u00e9");
  });

  it.each(EDGE_USERS.map((user) => [user.id]))(
    "shows %s, a user Clerk's spec allows, and saves a name change as saved",
    async (userId) => {
      const jar = await signedIn(userId);
      const page = await env.app.fetch("/profile", { jar });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(userId);
      const saved = await postProfile(jar, { firstName: "Renamed" });
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain("Saved.");
      expect(env.clerk.emulator.getUser(userId)?.firstName).toBe("Renamed");
    },
  );

  it("a cross-origin POST is refused with 403 before the action runs", async () => {
    const jar = await signedIn();
    const response = await postProfile(jar, { firstName: "Evil" }, "https://evil.example");
    expect(response.status).toBe(403);
    expect(env.clerk.emulator.requests).toEqual([]);
  });
});

describe("/profile without CLERK_SECRET_KEY", () => {
  let bare: ClerkApp;
  beforeAll(async () => {
    bare = await startClerkApp({ bindings: { CLERK_SECRET_KEY: "" } });
  });
  afterAll(() => bare.close());

  it("says the key is missing, with a status below 500, and calls nothing", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(bare.app, jar);
    bare.clerk.emulator.clearRequests();
    const response = await bare.app.fetch("/profile", { jar });
    const html = await response.text();
    expect(response.status).toBe(424);
    expect(html).toContain("CLERK_SECRET_KEY is not set");
    expect(bare.clerk.emulator.requests).toEqual([]);
    const post = await bare.app.fetch("/profile", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: "firstName=A&lastName=B",
    });
    expect(post.status).toBe(424);
    expect(bare.clerk.emulator.requests).toEqual([]);
    expect((await bare.app.fetch("/private", { jar })).status).toBe(200);
  });
});

/** A local HTTP server that answers every request with `answer`; closed by the caller. */
async function listen(
  answer: (
    path: string,
    authorization: string | undefined,
  ) => { status: number; headers: Record<string, string>; body: string },
): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const { status, headers, body } = answer(request.url ?? "/", request.headers.authorization);
    response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("/profile when the Backend API answers with a redirect to another origin", () => {
  let redirector: Awaited<ReturnType<typeof listen>>;
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  let app: ClerkApp;
  const seenElsewhere: Array<string | undefined> = [];
  beforeAll(async () => {
    elsewhere = await listen((_, authorization) => {
      seenElsewhere.push(authorization);
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ object: "user", id: GRACE.id, first_name: "Elsewhere" }),
      };
    });
    redirector = await listen((path) => ({
      status: 307,
      headers: { location: `${elsewhere.origin}${path}` },
      body: "",
    }));
    app = await startClerkApp({ bindings: { CLERK_API_URL: redirector.origin } });
  });
  afterAll(async () => {
    await app.close();
    for (const { server } of [redirector, elsewhere]) {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("is not followed, so the secret key never leaves for the other origin, and Clerk failed (424)", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(app.app, jar, { userId: GRACE.id });
    const response = await app.app.fetch("/profile", { jar });
    expect(response.status).toBe(424);
    expect(await response.text()).not.toContain("Elsewhere");
    expect(seenElsewhere).toEqual([]);
  });
});
