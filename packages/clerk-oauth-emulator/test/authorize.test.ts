import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS } from "../src/emulator";
import {
  authorizeUrl,
  CALLBACK,
  pkcePair,
  postForm,
  queryOf,
  STATE,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

function hiddenFields(html: string, formIndex: number): Record<string, string> {
  const form = html.split("<form").slice(1)[formIndex] ?? "";
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ""] = (match[2] ?? "").replaceAll("&amp;", "&").replaceAll("&quot;", '"');
  }
  return fields;
}

async function signInPage(overrides: Record<string, string | null> = {}) {
  const response = await clerk.fetch(authorizeUrl(clerk.origin, overrides), { redirect: "manual" });
  return { response, html: await response.text() };
}

describe("GET /oauth/authorize", () => {
  it("answers an unknown client_id with a 400 page and no redirect", async () => {
    const { response, html } = await signInPage({ client_id: "someone_else" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("client_id");
  });

  it("answers a redirect_uri that is not registered by exact match with a 400 page", async () => {
    for (const redirectUri of [`${CALLBACK}/`, `${CALLBACK}?x=1`, "http://evil.test/cb", null]) {
      const { response } = await signInPage({ redirect_uri: redirectUri });
      expect(response.status, String(redirectUri)).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
  });

  it.each([
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ code_challenge_method: "plain", code_challenge: "a".repeat(43) }, "invalid_request"],
    [{ state: "short" }, "invalid_request"],
    [{ scope: "profile email admin" }, "invalid_scope"],
  ])("redirects %o back with error %s and the state echoed", async (overrides, error) => {
    const { response } = await signInPage(overrides);
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    expect(location.startsWith(`${CALLBACK}?`)).toBe(true);
    const query = queryOf(location);
    expect(query.error).toBe(error);
    expect(query.error_description).toBeTruthy();
    expect(query.state).toBe((overrides as Record<string, string>).state ?? STATE);
    expect(query.code).toBeUndefined();
  });

  it("requires a state when no PKCE challenge is sent, but not with one", async () => {
    const withoutEither = await signInPage({ state: null });
    expect(queryOf(withoutEither.response.headers.get("location")).error).toBe("invalid_request");
    const pkceOnly = await signInPage({
      state: null,
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
    });
    expect(pkceOnly.response.status).toBe(200);
  });

  it("renders a self-contained sign-in page listing every user and the requested scopes", async () => {
    const { response, html } = await signInPage({ scope: "profile email public_metadata" });
    expect(response.status).toBe(200);
    expect(html).toContain("<title>Sign in — Clerk emulator</title>");
    expect(html).toContain(DEFAULT_CLIENT.clientId);
    expect(html).toContain("public_metadata");
    for (const user of SEED_USERS) {
      expect(html).toContain(`name="user_id" value="${user.id}"`);
      expect(html).toContain(`>Continue as ${user.firstName} ${user.lastName}</button>`);
      expect(html).toContain(user.emailAddresses[0]?.emailAddress);
    }
    expect(html).toContain('<input id="email" name="email" type="email"');
    expect(html).toContain('name="decision" value="deny">Deny</button>');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(hiddenFields(html, 0)).toMatchObject({ state: STATE, redirect_uri: CALLBACK });
  });
});

describe("POST /oauth/authorize", () => {
  it("redirects with a fresh code and the same state when a user is chosen", async () => {
    const { html } = await signInPage();
    const ada = SEED_USERS[0]?.id ?? "";
    const response = await postForm(clerk, "/oauth/authorize", {
      ...hiddenFields(html, 0),
      user_id: ada,
    });
    expect(response.status).toBe(302);
    const query = queryOf(response.headers.get("location"));
    expect(query.state).toBe(STATE);
    expect(query.code?.length).toBeGreaterThanOrEqual(32);
    expect(clerk.emulator.getUser(ada)?.lastSignInAt).toEqual(expect.any(Number));
  });

  it("redirects with access_denied and the state when the user denies", async () => {
    const { html } = await signInPage();
    const response = await postForm(clerk, "/oauth/authorize", {
      ...hiddenFields(html, 2),
      decision: "deny",
    });
    const query = queryOf(response.headers.get("location"));
    expect(query).toMatchObject({ error: "access_denied", state: STATE });
    expect(query.code).toBeUndefined();
  });

  it("creates a new user for an unknown email and reuses them afterwards", async () => {
    const { html } = await signInPage();
    const before = clerk.emulator.listUsers().length;
    const form = { ...hiddenFields(html, 1), email: "New.Person@example.com" };
    const first = await postForm(clerk, "/oauth/authorize", form);
    const second = await postForm(clerk, "/oauth/authorize", form);
    expect(first.status).toBe(302);
    expect(second.status).toBe(302);
    const users = clerk.emulator.listUsers();
    expect(users).toHaveLength(before + 1);
    const created = users.find(
      (u) => u.emailAddresses[0]?.emailAddress === "new.person@example.com",
    );
    expect(created?.id).toMatch(/^user_[A-Za-z0-9]{27}$/);
  });

  it("re-validates the posted parameters instead of trusting the form", async () => {
    const { html } = await signInPage();
    const tampered = { ...hiddenFields(html, 0), redirect_uri: "http://evil.test/cb" };
    const response = await postForm(clerk, "/oauth/authorize", {
      ...tampered,
      user_id: SEED_USERS[0]?.id ?? "",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("shows the page again with an error when no user was chosen", async () => {
    const { html } = await signInPage();
    const response = await postForm(clerk, "/oauth/authorize", hiddenFields(html, 0));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('role="alert"');
  });
});

describe("approve()", () => {
  it("returns the callback URL with a code, keeping the redirect URI's own query intact", async () => {
    const redirectUri = "http://127.0.0.1:8788/cb?tenant=a%20b";
    clerk = inProcessEmulator({
      clients: [{ clientId: "c1", clientSecret: "s1", redirectUris: [redirectUri] }],
    });
    const location = clerk.emulator.approve({ clientId: "c1", redirectUri, state: STATE });
    expect(location.startsWith(`${redirectUri}&code=`)).toBe(true);
    expect(queryOf(location).state).toBe(STATE);
  });

  it("applies the same validation as the form", () => {
    expect(() =>
      clerk.emulator.approve({ redirectUri: "http://evil.test/cb", state: STATE }),
    ).toThrow(/redirect_uri/);
    const location = clerk.emulator.approve({ redirectUri: CALLBACK, state: "short" });
    expect(queryOf(location).error).toBe("invalid_request");
  });
});
