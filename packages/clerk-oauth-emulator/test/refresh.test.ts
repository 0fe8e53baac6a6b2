import { beforeEach, describe, expect, it } from "vitest";
import {
  signIn,
  type TokenBody,
  tokenRequest,
  type EmulatorUnderTest,
  inProcessEmulator,
} from "./support";

let clerk: EmulatorUnderTest;

beforeEach(() => {
  clerk = inProcessEmulator();
});

describe("POST /oauth/token with grant_type=refresh_token", () => {
  it("returns a new access token and rotates the refresh token", async () => {
    const first = await signIn(clerk);
    const response = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
    });
    expect(response.status).toBe(200);
    const second = (await response.json()) as TokenBody;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).toMatch(/^ort_/);
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const reuse = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("keeps the refresh token and omits a new one when rotation is configured off", async () => {
    clerk.emulator.configure({ rotateRefreshTokens: false, accessTokenTtlSeconds: 60 });
    const first = await signIn(clerk);
    for (let i = 0; i < 2; i++) {
      const response = await tokenRequest(clerk, {
        grant_type: "refresh_token",
        refresh_token: first.refresh_token ?? "",
      });
      const body = (await response.json()) as TokenBody;
      expect(body.expires_in).toBe(60);
      expect(body.refresh_token).toBeUndefined();
    }
  });

  it("lets a refresh narrow the scope but never widen it", async () => {
    const first = await signIn(clerk, { scope: "profile email" });
    const narrowed = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
      scope: "email",
    });
    const body = (await narrowed.json()) as TokenBody;
    expect(body.scope).toBe("email");
    const widened = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: body.refresh_token ?? "",
      scope: "email private_metadata",
    });
    expect(await widened.json()).toMatchObject({ error: "invalid_scope" });
  });

  it("answers an unknown refresh token with 401 invalid_grant", async () => {
    const response = await tokenRequest(clerk, {
      grant_type: "refresh_token",
      refresh_token: "ort_unknown",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("issues no refresh token when issueRefreshTokens is false", async () => {
    clerk = inProcessEmulator({ issueRefreshTokens: false });
    expect((await signIn(clerk)).refresh_token).toBeUndefined();
  });
});
