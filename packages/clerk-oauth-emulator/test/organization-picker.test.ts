import { beforeEach, describe, expect, it } from "vitest";
import { ACME_ID, GLOBEX_ID, SEED_USERS } from "../src/emulator";
import {
  authorizeUrl,
  CALLBACK,
  type EmulatorUnderTest,
  inProcessEmulator,
  pkcePair,
  postForm,
  queryOf,
  signIn,
  STATE,
  tokenRequest,
  userInfo,
} from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

const [ADA, , ALAN] = SEED_USERS.map((user) => user.id) as [string, string, string];
const ORG_SCOPE = "openid profile email user:org:read";

async function orgFields(accessToken: string) {
  const body = (await (await userInfo(clerk, accessToken)).json()) as Record<string, unknown>;
  return { org_id: body.org_id, org_name: body.org_name, org_slug: body.org_slug };
}

function idTokenClaims(idToken: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken?.split(".")[1] ?? "", "base64url").toString());
}

/** Posts the sign-in form as a browser would: the authorize parameters, a user and a pick. */
async function consent(scope: string, form: Record<string, string>) {
  const { verifier, challenge } = pkcePair();
  const authorize = new URL(authorizeUrl(clerk.origin, { scope, code_challenge: challenge }));
  authorize.searchParams.set("code_challenge_method", "S256");
  const response = await postForm(clerk, "/oauth/authorize", {
    ...Object.fromEntries(authorize.searchParams),
    ...form,
  });
  return { response, verifier };
}

async function exchange(location: string | null, verifier: string) {
  const response = await tokenRequest(clerk, {
    grant_type: "authorization_code",
    code: queryOf(location).code ?? "",
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  return (await response.json()) as { access_token: string; id_token?: string };
}

describe("the sign-in page with user:org:read", () => {
  it("offers each user their own organizations, with none as the default", async () => {
    const html = await (await clerk.fetch(authorizeUrl(clerk.origin, { scope: ORG_SCOPE }))).text();
    expect(html).toContain('<label for="org-0">Organization for Ada Lovelace</label>');
    const adaPicker = html.slice(html.indexOf('id="org-0"'), html.indexOf("</select>"));
    expect(adaPicker).toContain('<option value="">No organization</option>');
    expect(adaPicker).toContain(`<option value="${ACME_ID}">Acme Corporation</option>`);
    expect(adaPicker).toContain(`<option value="${GLOBEX_ID}">Globex</option>`);
    expect(adaPicker).not.toContain("Hut 1");
    expect(html).toContain(`name="user_id" value="${ADA}"`);
    expect(html).toContain(">Continue as Ada Lovelace</button>");
  });

  it("shows no picker without the scope", async () => {
    const html = await (await clerk.fetch(authorizeUrl(clerk.origin))).text();
    expect(html).not.toContain('name="org_id"');
    expect(html).not.toContain("Acme Corporation");
  });

  it("puts the picked organization in userinfo and the id_token", async () => {
    const { response, verifier } = await consent(ORG_SCOPE, { user_id: ADA, org_id: ACME_ID });
    expect(response.status).toBe(302);
    const tokens = await exchange(response.headers.get("location"), verifier);
    expect(await orgFields(tokens.access_token)).toEqual({
      org_id: ACME_ID,
      org_name: "Acme Corporation",
      org_slug: "acme",
    });
    expect(idTokenClaims(tokens.id_token).org_id).toBe(ACME_ID);
  });

  it("gives no org fields when the user picks none", async () => {
    const { response, verifier } = await consent(ORG_SCOPE, { user_id: ADA, org_id: "" });
    const tokens = await exchange(response.headers.get("location"), verifier);
    expect(await orgFields(tokens.access_token)).toEqual({
      org_id: null,
      org_name: null,
      org_slug: null,
    });
    expect(idTokenClaims(tokens.id_token)).not.toHaveProperty("org_id");
  });

  it("refuses an organization the user does not belong to, showing the page again", async () => {
    const { response } = await consent(ORG_SCOPE, { user_id: ALAN, org_id: GLOBEX_ID });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Pick one of your own organizations");
  });
});

describe("without user:org:read", () => {
  it("gives no org fields, even when an org_id is posted", async () => {
    const { response, verifier } = await consent("openid profile email", {
      user_id: ADA,
      org_id: ACME_ID,
    });
    expect(response.status).toBe(302);
    const tokens = await exchange(response.headers.get("location"), verifier);
    expect((await orgFields(tokens.access_token)).org_id).toBeNull();
    expect(idTokenClaims(tokens.id_token)).not.toHaveProperty("org_id");
  });

  it("ignores a posted org_id, as no picker was shown, even one the user is not in", async () => {
    const { response } = await consent("profile email", { user_id: ALAN, org_id: GLOBEX_ID });
    expect(response.status).toBe(302);
  });

  it("is an invalid scope on an instance without Organizations", async () => {
    clerk = inProcessEmulator({ organizationsEnabled: false });
    const location = clerk.emulator.approve({
      redirectUri: CALLBACK,
      state: STATE,
      scope: ORG_SCOPE,
    });
    expect(queryOf(location).error).toBe("invalid_scope");
  });
});

describe("the grant's organization over time", () => {
  it("stays through a refresh, and goes when the scope is narrowed away", async () => {
    const tokens = await signIn(clerk, { scope: `${ORG_SCOPE} offline_access`, orgId: ACME_ID });
    const refresh = (scope?: string) =>
      tokenRequest(clerk, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token ?? "",
        ...(scope ? { scope } : {}),
      }).then(
        (response) => response.json() as Promise<{ access_token: string; refresh_token: string }>,
      );
    const refreshed = await refresh();
    expect((await orgFields(refreshed.access_token)).org_id).toBe(ACME_ID);
    tokens.refresh_token = refreshed.refresh_token;
    const narrowed = await refresh("openid profile");
    expect((await orgFields(narrowed.access_token)).org_id).toBeNull();
  });

  it("ends when the member is removed or the organization deleted", async () => {
    const adaTokens = await signIn(clerk, { scope: ORG_SCOPE, orgId: ACME_ID });
    const alanTokens = await signIn(clerk, { scope: ORG_SCOPE, userId: ALAN, orgId: ACME_ID });
    await clerk.emulator.removeMembership(ACME_ID, ALAN);
    expect((await orgFields(alanTokens.access_token)).org_id).toBeNull();
    expect((await orgFields(adaTokens.access_token)).org_id).toBe(ACME_ID);
    await clerk.emulator.deleteOrganization(ACME_ID);
    expect((await orgFields(adaTokens.access_token)).org_id).toBeNull();
  });

  it("approve() refuses a pick the user cannot make", () => {
    expect(() =>
      clerk.emulator.approve({
        redirectUri: CALLBACK,
        state: STATE,
        scope: ORG_SCOPE,
        orgId: GLOBEX_ID,
        userId: ALAN,
      }),
    ).toThrow(/not in/);
  });
});
