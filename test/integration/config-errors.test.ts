import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AppHarness, startApp } from "../support/app-harness";
import { CLIENT_SECRET, SESSION_SECRET, validBindings } from "../support/bindings";
import { expectConsoleErrors } from "../support/console-guard";

let app: AppHarness | undefined;
// Every test here breaks the configuration on purpose, and the app logs each refusal as an error
// for the operator.
beforeEach(expectConsoleErrors);
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("a missing or malformed binding", () => {
  it.each([
    ["SESSION_SECRET", "wrangler pages secret put SESSION_SECRET"],
    ["CLERK_DOMAIN", ".dev.vars"],
    ["CLERK_CLIENT_ID", ".dev.vars"],
    ["CLERK_CLIENT_SECRET", "wrangler secret put CLERK_CLIENT_SECRET -c wrangler.workers.toml"],
  ])("without %s, pages answer 500 naming it and how to set it", async (binding, howTo) => {
    const bindings = validBindings();
    delete bindings[binding];
    app = await startApp(bindings);
    for (const path of ["/", "/login", "/private"]) {
      const response = await app.fetch(path);
      const body = await response.text();
      expect(response.status).toBe(500);
      expect(body).toContain("This app is not configured");
      expect(body).toContain(binding);
      expect(body).toContain(howTo);
      expect(body).not.toContain(SESSION_SECRET);
      expect(body).not.toContain(CLIENT_SECRET);
    }
  });

  it("a malformed CLERK_DOMAIN is named without echoing its value", async () => {
    app = await startApp(validBindings({ CLERK_DOMAIN: `https://${CLIENT_SECRET}.example/x` }));
    const response = await app.fetch("/");
    const body = await response.text();
    expect(response.status).toBe(500);
    expect(body).toContain("CLERK_DOMAIN");
    expect(body).not.toContain(CLIENT_SECRET);
  });

  it.each([
    ["CLERK_DOMAIN", { CLERK_DOMAIN: "http://clerk.example.com" }, "http:// is allowed only for"],
    ["CLERK_API_URL", { CLERK_API_URL: "http://api.clerk.com" }, "http:// is allowed only for"],
    ["SESSION_SECRET", { SESSION_SECRET: "too-short-to-sign-cookies" }, "32 characters"],
    ["SESSION_MAX_AGE", { SESSION_MAX_AGE: "2592001" }, "from 60 to 2592000 (30 days)"],
    ["SESSION_MAX_AGE", { SESSION_MAX_AGE: "one week" }, "whole number of seconds"],
    ["SESSION_IDLE_TIMEOUT", { SESSION_IDLE_TIMEOUT: "60" }, "at least 300"],
    [
      "SESSION_IDLE_TIMEOUT",
      { SESSION_IDLE_TIMEOUT: "1h" },
      "0 or unset turns the idle timeout off",
    ],
  ])(
    "an unsafe %s is refused with a page that names it and the rule",
    async (binding, overrides, rule) => {
      app = await startApp(validBindings(overrides));
      const response = await app.fetch("/login");
      const body = await response.text();
      expect(response.status).toBe(500);
      expect(body).toContain(binding);
      expect(body).toContain(rule);
      expect(body).not.toContain("too-short-to-sign-cookies");
      expect(response.headers.get("Location")).toBeNull();
    },
  );
});
