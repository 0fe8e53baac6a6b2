import { describe, expect, test } from "vitest";
import { ConfigError } from "~/config/config-error";
import { DEFAULT_CLERK_API_URL, readConfig } from "~/config/config.server";
import type { Env } from "~/env";

const kv = { get: async () => null, put: async () => {} } as unknown as KVNamespace;
const SECRET = "very-secret-value-that-must-not-leak";

function env(overrides: Partial<Record<keyof Env, unknown>> = {}): Env {
  return {
    SESSION_KV: kv,
    SESSION_SECRET: SECRET,
    CLERK_DOMAIN: "clerk.example.com",
    CLERK_CLIENT_ID: "client_123",
    CLERK_CLIENT_SECRET: SECRET,
    ...overrides,
  } as Env;
}

function configError(overrides: Partial<Record<keyof Env, unknown>>): ConfigError {
  try {
    readConfig(env(overrides));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("readConfig accepted the bindings");
}

describe("readConfig", () => {
  test("applies the contract's defaults to a minimal set of bindings", () => {
    const config = readConfig(env());
    expect(config.clerk.origin).toBe("https://clerk.example.com");
    expect(config.clerk.callbackUrl).toBeNull();
    expect(config.clerk.scopes).toEqual(["profile", "email", "public_metadata"]);
    expect(config.backendApi).toEqual({ secretKey: null, apiUrl: DEFAULT_CLERK_API_URL });
    expect(config.sessionSecrets).toEqual([SECRET]);
  });

  test("uses a full origin in CLERK_DOMAIN as is", () => {
    expect(readConfig(env({ CLERK_DOMAIN: "http://127.0.0.1:4010" })).clerk.origin).toBe(
      "http://127.0.0.1:4010",
    );
  });

  test("splits SESSION_SECRET on commas, first one first", () => {
    expect(readConfig(env({ SESSION_SECRET: "new-secret, old-secret" })).sessionSecrets).toEqual([
      "new-secret",
      "old-secret",
    ]);
  });

  test("always requests profile and email, whatever CLERK_SCOPES says", () => {
    expect(readConfig(env({ CLERK_SCOPES: "public_metadata openid" })).clerk.scopes).toEqual([
      "profile",
      "email",
      "public_metadata",
      "openid",
    ]);
  });

  test.each(["https://api.clerk.com/", "http://127.0.0.1:4010"])(
    "accepts CLERK_API_URL %s as an origin",
    (apiUrl) => {
      expect(readConfig(env({ CLERK_API_URL: apiUrl })).backendApi.apiUrl).toBe(
        new URL(apiUrl).origin,
      );
    },
  );

  test("keeps CLERK_CALLBACK_URL verbatim", () => {
    const url = "https://app.example.com/auth/clerk/callback";
    expect(readConfig(env({ CLERK_CALLBACK_URL: url })).clerk.callbackUrl).toBe(url);
  });

  test.each([
    ["SESSION_KV", { SESSION_KV: undefined }, "wrangler kv namespace create"],
    ["SESSION_KV", { SESSION_KV: "not-a-namespace" }, "kv_namespaces"],
    ["SESSION_SECRET", { SESSION_SECRET: undefined }, "wrangler pages secret put SESSION_SECRET"],
    ["SESSION_SECRET", { SESSION_SECRET: `${SECRET},,` }, "wrangler secret put SESSION_SECRET"],
    ["CLERK_DOMAIN", { CLERK_DOMAIN: undefined }, ".dev.vars"],
    ["CLERK_DOMAIN", { CLERK_DOMAIN: `https://${SECRET}.com/path` }, ".dev.vars"],
    ["CLERK_DOMAIN", { CLERK_DOMAIN: "ftp://clerk.example.com" }, ".dev.vars"],
    ["CLERK_CLIENT_ID", { CLERK_CLIENT_ID: " " }, ".dev.vars"],
    ["CLERK_CLIENT_SECRET", { CLERK_CLIENT_SECRET: undefined }, "wrangler pages secret put"],
    ["CLERK_CALLBACK_URL", { CLERK_CALLBACK_URL: `/${SECRET}` }, ".dev.vars"],
    ["CLERK_SCOPES", { CLERK_SCOPES: `profile "${SECRET}"` }, ".dev.vars"],
    ["CLERK_API_URL", { CLERK_API_URL: `https://api.clerk.com/${SECRET}` }, ".dev.vars"],
    ["CLERK_API_URL", { CLERK_API_URL: `https://${SECRET}.test?` }, ".dev.vars"],
    ["CLERK_API_URL", { CLERK_API_URL: `https://user:${SECRET}@bapi.test` }, ".dev.vars"],
    ["CLERK_API_URL", { CLERK_API_URL: `ftp://${SECRET}.test` }, ".dev.vars"],
  ])("names %s when it is missing or malformed, and how to set it", (binding, overrides, howTo) => {
    const error = configError(overrides);
    expect(error.binding).toBe(binding);
    expect(error.message).toContain(binding);
    expect(error.message).toContain(howTo);
    expect(error.message).not.toContain(SECRET);
  });
});
