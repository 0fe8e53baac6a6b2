import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { DEFAULT_CLERK_API_URL, readConfig } from "../../src/config/config.server.js";
import type { Env } from "../../src/env.js";
import { caught } from "../../../../test/support/catch-response";

const kv = { get: async () => null, put: async () => {} } as unknown as KVNamespace;
const db = { prepare: () => null, batch: async () => [] } as unknown as D1Database;
const SECRET = "very-secret-value-that-must-not-leak";

function env(overrides: Partial<Record<keyof Env, unknown>> = {}): Env {
  return {
    SESSION_KV: kv,
    SESSION_DB: db,
    SESSION_SECRET: SECRET,
    CLERK_DOMAIN: "clerk.example.com",
    CLERK_CLIENT_ID: "client_123",
    CLERK_CLIENT_SECRET: SECRET,
    ...overrides,
  } as Env;
}

function configError(overrides: Partial<Record<keyof Env, unknown>>): Promise<ConfigError> {
  return caught(() => readConfig(env(overrides)), ConfigError);
}

describe("readConfig", () => {
  it("applies the documented defaults to a minimal set of bindings", () => {
    const config = readConfig(env());
    expect(config.clerk.origin).toBe("https://clerk.example.com");
    expect(config.clerk.callbackUrl).toBeNull();
    expect(config.clerk.scopes.join(" ")).toBe(
      "openid profile email offline_access public_metadata",
    );
    expect(config.backendApi).toEqual({ secretKey: null, apiUrl: DEFAULT_CLERK_API_URL });
    expect(config.sessionSecrets).toEqual([SECRET]);
    expect(config.sessionMaxAgeSeconds).toBe(604800);
    expect(config.sessionIdleTimeoutSeconds).toBeNull();
  });

  it.each([
    [{ SESSION_MAX_AGE: "86400", SESSION_IDLE_TIMEOUT: "3600" }, 86400, 3600],
    [{ SESSION_MAX_AGE: 2592000, SESSION_IDLE_TIMEOUT: 300 }, 2592000, 300],
    [{ SESSION_MAX_AGE: " 60 ", SESSION_IDLE_TIMEOUT: "0" }, 60, null],
  ])(
    "reads the session lifetimes %o as seconds, from text or a [vars] number",
    (overrides, maxAge, idle) => {
      const config = readConfig(env(overrides));
      expect(config.sessionMaxAgeSeconds).toBe(maxAge);
      expect(config.sessionIdleTimeoutSeconds).toBe(idle);
    },
  );

  it.each(["2592001", "59", "0", "7d", "-1", "1.5", "1e6", 3.5])(
    "refuses SESSION_MAX_AGE=%s, naming the binding and the allowed range, never the value",
    async (value) => {
      const error = await configError({ SESSION_MAX_AGE: value });
      expect(error.binding).toBe("SESSION_MAX_AGE");
      expect(error.message).toContain("from 60 to 2592000 (30 days)");
      expect(error.message).toContain("[vars] in wrangler.toml");
      expect(error.message).not.toContain(`=${value}`);
    },
  );

  it.each(["299", "1", "1h", "-300", 120.5])(
    "refuses SESSION_IDLE_TIMEOUT=%s, naming the binding and its floor",
    async (value) => {
      const error = await configError({ SESSION_IDLE_TIMEOUT: value });
      expect(error.binding).toBe("SESSION_IDLE_TIMEOUT");
      expect(error.message).toContain("at least 300");
      expect(error.message).toContain("0 or unset turns the idle timeout off");
    },
  );

  it("uses a full origin in CLERK_DOMAIN as is", () => {
    expect(readConfig(env({ CLERK_DOMAIN: "http://127.0.0.1:4010" })).clerk.origin).toBe(
      "http://127.0.0.1:4010",
    );
  });

  it("splits SESSION_SECRET on commas, first one first", () => {
    const [newer, older] = ["n".repeat(32), "o".repeat(40)];
    expect(readConfig(env({ SESSION_SECRET: `${newer}, ${older}` })).sessionSecrets).toEqual([
      newer,
      older,
    ]);
  });

  it.each(["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010"])(
    "accepts plain http only for the loopback origin %s",
    (origin) => {
      const config = readConfig(env({ CLERK_DOMAIN: origin, CLERK_API_URL: origin }));
      expect(config.clerk.origin).toBe(origin);
      expect(config.backendApi.apiUrl).toBe(origin);
    },
  );

  it.each(["http://clerk.example.com", "http://10.0.0.5:4010", "http://127.0.0.1.nip.io"])(
    "refuses CLERK_DOMAIN and CLERK_API_URL over plain http to %s, which would send secrets in clear text",
    async (origin) => {
      for (const binding of ["CLERK_DOMAIN", "CLERK_API_URL"] as const) {
        const error = await configError({ [binding]: origin });
        expect(error.binding).toBe(binding);
        expect(error.message).toContain(
          "http:// is allowed only for 127.0.0.1, localhost and [::1]",
        );
      }
    },
  );

  it("refuses a SESSION_SECRET entry shorter than 32 characters, naming the binding and the entry", async () => {
    const error = await configError({ SESSION_SECRET: `${SECRET},${"s".repeat(31)}` });
    expect(error.binding).toBe("SESSION_SECRET");
    expect(error.message).toContain("number 2");
    expect(error.message).toContain("32 characters");
    expect(error.message).not.toContain("s".repeat(31));
  });

  it("uses CLERK_SCOPES instead of the defaults", () => {
    expect(readConfig(env({ CLERK_SCOPES: "profile email" })).clerk.scopes).toEqual([
      "profile",
      "email",
    ]);
  });

  it("always requests profile and email, whatever CLERK_SCOPES says", () => {
    expect(readConfig(env({ CLERK_SCOPES: "public_metadata openid" })).clerk.scopes).toEqual([
      "profile",
      "email",
      "public_metadata",
      "openid",
    ]);
  });

  it.each(["https://api.clerk.com/", "http://127.0.0.1:4010"])(
    "accepts CLERK_API_URL %s as an origin",
    (apiUrl) => {
      expect(readConfig(env({ CLERK_API_URL: apiUrl })).backendApi.apiUrl).toBe(
        new URL(apiUrl).origin,
      );
    },
  );

  it("keeps CLERK_CALLBACK_URL verbatim", () => {
    const url = "https://app.example.com/auth/clerk/callback";
    expect(readConfig(env({ CLERK_CALLBACK_URL: url })).clerk.callbackUrl).toBe(url);
  });

  it.each([
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
  ])(
    "names %s when it is missing or malformed, and how to set it",
    async (binding, overrides, howTo) => {
      const error = await configError(overrides);
      expect(error.binding).toBe(binding);
      expect(error.message).toContain(binding);
      expect(error.message).toContain(howTo);
      expect(error.message).not.toContain(SECRET);
    },
  );
});
