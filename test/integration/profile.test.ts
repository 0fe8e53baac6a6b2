import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { SEED_USERS } from "../clerk-emulator/emulator";
import { APP_ORIGIN } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const GRACE = SEED_USERS[1] as (typeof SEED_USERS)[0];

let env: ClerkApp;
beforeAll(async () => {
  env = await startClerkApp();
});
afterAll(() => env.close());
beforeEach(() => {
  env.clerk.emulator.reset();
  env.clerk.emulator.clearRequests();
});

async function signedIn(): Promise<CookieJar> {
  const jar = new CookieJar();
  await signInThroughEmulator(env.app, jar, { userId: GRACE.id });
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
  test("sends a signed-out visitor to sign in", async () => {
    const response = await env.app.fetch("/profile");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
  });

  test("shows the user as the Backend API returns them, read fresh with the pinned version", async () => {
    const jar = await signedIn();
    const response = await env.app.fetch("/profile", { jar });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(html).toContain(GRACE.id);
    expect(html).toContain("grace@example.com");
    expect(html).toMatch(/<form method="post"/);
    const call = env.clerk.emulator.requests.find((r) => r.path === `/v1/users/${GRACE.id}`);
    expect(call?.method).toBe("GET");
    expect(call?.headers.authorization).toMatch(/^Bearer/);
    expect(call?.headers["clerk-api-version"]).toBe("2026-05-12");
  });

  test("changing the name without JavaScript updates Clerk, the page and /private", async () => {
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

  test.each([
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

  test("a body that is not a form is a 400, not a 5xx", async () => {
    const jar = await signedIn();
    const response = await env.app.fetch("/profile", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN, "Content-Type": "multipart/form-data; boundary=x" },
      body: "not multipart",
    });
    expect(response.status).toBe(400);
  });

  test.each([
    [{ kind: "status", status: 500 } as const, 200],
    [{ kind: "malformed-json" } as const, 200],
    [{ kind: "status", status: 404 } as const, 404],
  ])("a Backend API failure (%o) shows the error with status %i", async (fault, status) => {
    const jar = await signedIn();
    env.clerk.emulator.fail("backend", fault);
    const response = await env.app.fetch("/profile", { jar });
    const html = await response.text();
    expect(response.status).toBe(status);
    expect(html).toContain('role="alert"');
    expect(html).not.toContain("sk_test_emulator");
  });

  test("a failed update keeps the session's name and says why", async () => {
    const jar = await signedIn();
    env.clerk.emulator.fail("backend", { kind: "status", status: 500 }, { times: 1 });
    const response = await postProfile(jar, { firstName: "Nope", lastName: "Nope" });
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).toContain('role="alert"');
    expect(await (await env.app.fetch("/private", { jar })).text()).not.toContain("Nope Nope");
  });

  test("a cross-origin POST is refused with 403 before the action runs", async () => {
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

  test("says the key is missing, with a status below 500, and calls nothing", async () => {
    const jar = new CookieJar();
    await signInThroughEmulator(bare.app, jar);
    bare.clerk.emulator.clearRequests();
    const response = await bare.app.fetch("/profile", { jar });
    const html = await response.text();
    expect(response.status).toBeLessThan(500);
    expect(html).toContain("CLERK_SECRET_KEY is not set");
    expect(bare.clerk.emulator.requests).toEqual([]);
    const post = await bare.app.fetch("/profile", {
      method: "POST",
      jar,
      headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: "firstName=A&lastName=B",
    });
    expect(post.status).toBeLessThan(500);
    expect(bare.clerk.emulator.requests).toEqual([]);
    expect((await bare.app.fetch("/private", { jar })).status).toBe(200);
  });
});
