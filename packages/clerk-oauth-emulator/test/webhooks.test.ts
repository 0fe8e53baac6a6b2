import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS, createClerkEmulator } from "../src/emulator";
import { basicAuth, pkcePair } from "./support";
import { createWebhookSecret } from "../src/webhooks";

const ADA = SEED_USERS[0]?.id ?? "";
const URL_ = "http://app.test/webhooks/clerk";

/** An endpoint that records what it receives and answers with `status`. */
function recordingEndpoint(status = 204) {
  const received: Request[] = [];
  return {
    received,
    fetch: async (request: Request) => {
      received.push(request);
      return new Response(null, { status });
    },
  };
}

/** Node's own HMAC, deliberately not the emulator's crypto.subtle code under test. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

function setup(status?: number) {
  const secret = createWebhookSecret();
  const endpoint = recordingEndpoint(status);
  const emulator = createClerkEmulator({
    webhooks: { url: URL_, secret, fetch: endpoint.fetch },
  });
  return { secret, endpoint, emulator };
}

describe("webhook deliveries", () => {
  it("signs user.updated over the exact body with the whsec_ secret, as Svix does", async () => {
    const { secret, endpoint, emulator } = setup();
    const delivery = await emulator.updateUser(ADA, { banned: true });
    expect(delivery).toMatchObject({ type: "user.updated", status: 204, error: null });
    const request = endpoint.received[0];
    if (!request) throw new Error("nothing delivered");
    expect(request.url).toBe(URL_);
    expect(request.method).toBe("POST");
    const id = request.headers.get("svix-id") ?? "";
    const timestamp = request.headers.get("svix-timestamp") ?? "";
    const body = await request.text();
    expect(id).toMatch(/^msg_/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(request.headers.get("svix-signature")).toBe(
      expectedSignature(secret, id, timestamp, body),
    );
    const event = JSON.parse(body);
    expect(event).toMatchObject({
      object: "event",
      type: "user.updated",
      instance_id: "ins_emulator",
    });
    expect(event.data).toMatchObject({ id: ADA, banned: true, locked: false, first_name: "Ada" });
  });

  it("announces a deletion with Clerk's deleted-user stub and forgets the user", async () => {
    const { endpoint, emulator } = setup();
    await emulator.deleteUser(ADA);
    const event = JSON.parse(await (endpoint.received[0]?.text() ?? "{}"));
    expect(event).toMatchObject({
      type: "user.deleted",
      data: { object: "user", id: ADA, deleted: true },
    });
    expect(emulator.getUser(ADA)).toBeUndefined();
  });

  it("sends each event under a fresh svix-id and records every attempt", async () => {
    const { endpoint, emulator } = setup(500);
    await emulator.updateUser(ADA, { firstName: "Augusta" });
    await emulator.updateUser(ADA, { locked: true });
    const ids = endpoint.received.map((request) => request.headers.get("svix-id"));
    expect(new Set(ids).size).toBe(2);
    expect(emulator.webhookDeliveries.map((delivery) => delivery.status)).toEqual([500, 500]);
  });

  it("reports a delivery that could not connect instead of throwing", async () => {
    const emulator = createClerkEmulator({
      webhooks: {
        url: URL_,
        secret: createWebhookSecret(),
        fetch: () => Promise.reject(new TypeError("connection refused")),
      },
    });
    const delivery = await emulator.updateUser(ADA, { firstName: "A" });
    expect(delivery).toMatchObject({ status: null, error: expect.stringContaining("refused") });
  });

  it("changes users without announcing them when no endpoint is configured", async () => {
    const emulator = createClerkEmulator();
    expect(await emulator.updateUser(ADA, { lastName: "King" })).toBeNull();
    expect(emulator.getUser(ADA)?.lastName).toBe("King");
  });

  it("refuses a secret that is not whsec_ and base64 when it is configured", () => {
    expect(() => createClerkEmulator({ webhooks: { url: URL_, secret: "not-a-secret" } })).toThrow(
      /whsec_/,
    );
  });

  it("announces a name changed through the Backend API, as Clerk does", async () => {
    const { endpoint, emulator } = setup();
    const response = await emulator.fetch(
      new Request(`http://clerk.test/v1/users/${ADA}`, {
        method: "PATCH",
        headers: { authorization: "Bearer sk_test_emulator", "content-type": "application/json" },
        body: JSON.stringify({ first_name: "Augusta" }),
      }),
    );
    expect(response.status).toBe(200);
    await expect.poll(() => endpoint.received.length).toBe(1);
    const event = JSON.parse(await (endpoint.received[0]?.text() ?? "{}"));
    expect(event.data).toMatchObject({ id: ADA, first_name: "Augusta" });
  });
});

describe("the admin page", () => {
  const admin = (init?: RequestInit) => new Request("http://clerk.test/__admin", init);
  const post = (form: Record<string, string>, headers: HeadersInit = {}) =>
    admin({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form),
    });

  it("lists the test users with buttons to ban, lock, delete and rename them", async () => {
    const emulator = createClerkEmulator();
    const html = await (await emulator.fetch(admin())).text();
    expect(html).toContain("Ada Lovelace");
    expect(html).toContain(`data-user-id="${ADA}"`);
    for (const action of ["ban", "lock", "delete", "rename"]) {
      expect(html).toContain(`value="${action}"`);
    }
  });

  it("bans a user, announces it, and comes back to the list saying what the app answered", async () => {
    const { endpoint, emulator } = setup();
    const response = await emulator.fetch(post({ user_id: ADA, action: "ban" }));
    expect(response.status).toBe(303);
    expect(emulator.getUser(ADA)?.banned).toBe(true);
    expect(endpoint.received).toHaveLength(1);
    const location = new URL(response.headers.get("location") ?? "", "http://clerk.test");
    const page = await (await emulator.fetch(new Request(location))).text();
    expect(page).toContain("answered 204");
    expect(page).toContain('value="unban"');
  });

  it("accepts its own form, which a browser sends with Origin: null under no-referrer", async () => {
    const { emulator } = setup();
    const own = post(
      { user_id: ADA, action: "lock" },
      { origin: "null", "sec-fetch-site": "same-origin" },
    );
    expect((await emulator.fetch(own)).status).toBe(303);
    expect(emulator.getUser(ADA)?.locked).toBe(true);
  });

  it("renames a user from the form", async () => {
    const { emulator } = setup();
    const form = { user_id: ADA, action: "rename", first_name: "Augusta", last_name: "King" };
    expect((await emulator.fetch(post(form))).status).toBe(303);
    expect(emulator.getUser(ADA)).toMatchObject({ firstName: "Augusta", lastName: "King" });
  });

  it("refuses an unknown user, an unknown action and a post from another origin, changing nothing", async () => {
    const { endpoint, emulator } = setup();
    expect((await emulator.fetch(post({ user_id: "user_nobody", action: "ban" }))).status).toBe(
      404,
    );
    expect((await emulator.fetch(post({ user_id: ADA, action: "explode" }))).status).toBe(400);
    const crossOrigin = post({ user_id: ADA, action: "delete" }, { origin: "http://evil.test" });
    expect((await emulator.fetch(crossOrigin)).status).toBe(403);
    const sameSite = post({ user_id: ADA, action: "delete" }, { "sec-fetch-site": "same-site" });
    expect((await emulator.fetch(sameSite)).status).toBe(403);
    expect(emulator.getUser(ADA)?.banned).toBe(false);
    expect(endpoint.received).toHaveLength(0);
  });
});

describe("moderation", () => {
  const choose = (userId: string) =>
    new Request("http://clerk.test/oauth/authorize", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        response_type: "code",
        client_id: DEFAULT_CLIENT.clientId,
        redirect_uri: DEFAULT_CLIENT.redirectUris[0] ?? "",
        state: "state-0123456789abcdef",
        scope: "profile email",
        user_id: userId,
      }),
    });

  it("refuses to sign in a banned or locked user, as Clerk does, until it is lifted", async () => {
    const emulator = createClerkEmulator();
    await emulator.updateUser(ADA, { banned: true });
    const banned = await emulator.fetch(choose(ADA));
    expect(banned.status).toBe(400);
    expect(await banned.text()).toContain("This account is banned");
    await emulator.updateUser(ADA, { banned: false, locked: true });
    expect(await (await emulator.fetch(choose(ADA))).text()).toContain("This account is locked");
    await emulator.updateUser(ADA, { locked: false });
    expect((await emulator.fetch(choose(ADA))).status).toBe(302);
  });

  it("revokes the user's refresh tokens when banning them, so the app cannot refresh", async () => {
    const emulator = createClerkEmulator();
    const redirectUri = DEFAULT_CLIENT.redirectUris[0] ?? "";
    const { verifier, challenge } = pkcePair();
    const location = emulator.approve({
      redirectUri,
      userId: ADA,
      codeChallenge: challenge,
      scope: "profile email offline_access",
    });
    const token = (form: Record<string, string>) =>
      emulator.fetch(
        new Request("http://clerk.test/oauth/token", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: basicAuth(DEFAULT_CLIENT.clientId, DEFAULT_CLIENT.clientSecret),
          },
          body: new URLSearchParams(form),
        }),
      );
    const code = new URL(location).searchParams.get("code") ?? "";
    const issued = await token({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const { refresh_token } = (await issued.json()) as { refresh_token: string };
    expect(refresh_token).toBeTruthy();

    await emulator.updateUser(ADA, { banned: true });
    const refresh = await token({ grant_type: "refresh_token", refresh_token });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });
});
