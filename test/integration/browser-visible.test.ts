import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SECRET_KEY } from "clerk-oauth-emulator";
import { BACKEND_ONLY_MARKER, EDGE_USERS, SEED_USERS } from "clerk-oauth-emulator";
import { APP_ORIGIN, ROOT_DATA } from "../support/app-harness";
import { type ClerkApp, startClerkApp } from "../support/clerk-app";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";

const MARKED_USER = "user_edgeMarked";

/** What the browser must never be sent, in HTML, in `.data` or in JSON. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ["the backend-only marker", new RegExp(BACKEND_ONLY_MARKER)],
  ["private metadata", /private_?metadata/i],
  ["unsafe metadata", /unsafe_?metadata/i],
  ["a moderation flag", /\b(banned|locked)\b/i],
  ["an access token", /\boat_[A-Za-z0-9]{8,}/],
  ["a refresh token", /\bort_[A-Za-z0-9]{8,}/],
  ["a JWT such as the id token", /eyJ[\w-]+\.eyJ[\w-]+/],
  ["the Backend API secret key", new RegExp(DEFAULT_SECRET_KEY)],
];

/** Every page a signed-in person can open, and the single-fetch data URL of each. */
const PAGES = ["/", "/private", "/profile", "/examples/auth-components", "/account/sessions"];
const DATA_URLS = [
  ROOT_DATA,
  "/private.data",
  "/profile.data",
  "/examples/auth-components.data",
  "/account/sessions.data",
];

let env: ClerkApp;
let jar: CookieJar;
beforeAll(async () => {
  env = await startClerkApp({ users: [...SEED_USERS, ...EDGE_USERS] });
  jar = new CookieJar();
  await signInThroughEmulator(env.app, jar, { userId: MARKED_USER });
});
afterAll(() => env.close());

function expectNothingBackendOnly(body: string) {
  for (const [what, pattern] of FORBIDDEN) {
    expect(body, `no ${what}`).not.toMatch(pattern);
  }
}

describe("what a signed-in browser is sent", () => {
  it("the test user holds the marker in private and unsafe metadata, and moderation flags", async () => {
    const user = env.clerk.emulator.getUser(MARKED_USER);
    expect(user?.privateMetadata).toEqual({ note: BACKEND_ONLY_MARKER });
    expect(user?.unsafeMetadata).toEqual({ note: BACKEND_ONLY_MARKER });
    expect(user).toMatchObject({ banned: false, locked: false });
  });

  it.each([...PAGES, ...DATA_URLS])(
    "%s shows this user and carries no backend-only field or token",
    async (path) => {
      const response = await env.app.fetch(path, { jar });
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(body).toContain(MARKED_USER);
      expectNothingBackendOnly(body);
    },
  );

  it.each(["/profile", "/profile.data"])(
    "the answer to a profile save at %s carries none either",
    async (path) => {
      const response = await env.app.fetch(path, {
        method: "POST",
        jar,
        headers: { Origin: APP_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
        body: "firstName=Marked",
      });
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(env.clerk.emulator.getUser(MARKED_USER)?.firstName).toBe("Marked");
      expectNothingBackendOnly(body);
    },
  );

  it("/api/userinfo passes Clerk's userinfo without private or unsafe metadata", async () => {
    const response = await env.app.fetch("/api/userinfo", { jar });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(body).userinfo).toMatchObject({ sub: MARKED_USER });
    expectNothingBackendOnly(body);
  });
});
