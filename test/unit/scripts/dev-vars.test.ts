import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AuthBindings, readConfig } from "clerk-edge-auth";
import {
  PLACEHOLDER,
  emulatorPort,
  ensureDevVars,
  readDevVars,
} from "../../../scripts/dev-vars.mjs";

const EXAMPLE = new URL("../../../.dev.vars.example", import.meta.url).pathname;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

const scratchPath = () => join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");

/** Enough of KV and D1 for the configuration check, which only looks at their shape. */
const stores = {
  SESSION_KV: { get() {}, put() {} },
  SESSION_DB: { prepare() {}, batch() {} },
};

describe("npm run dev's .dev.vars handling", () => {
  it("creates .dev.vars from the example once, with fresh random secrets, readable by its owner only", () => {
    const path = scratchPath();
    expect(ensureDevVars(path, EXAMPLE)).toEqual({
      created: true,
      generated: ["SESSION_SECRET", "CLERK_WEBHOOK_SIGNING_SECRET"],
    });
    const vars = readDevVars(path);
    expect(vars.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(vars.CLERK_WEBHOOK_SIGNING_SECRET).toMatch(WEBHOOK_SECRET);
    expect(vars.CLERK_DOMAIN).toBe("http://127.0.0.1:4010");
    expect(statSync(path).mode & 0o077).toBe(0);

    const other = scratchPath();
    ensureDevVars(other, EXAMPLE);
    expect(readDevVars(other).SESSION_SECRET).not.toBe(vars.SESSION_SECRET);
    expect(readDevVars(other).CLERK_WEBHOOK_SIGNING_SECRET).not.toBe(
      vars.CLERK_WEBHOOK_SIGNING_SECRET,
    );

    expect(ensureDevVars(path, EXAMPLE)).toEqual({ created: false, generated: [] });
    expect(readDevVars(path)).toEqual(vars);
  });

  it("adds a webhook signing secret to an existing emulator .dev.vars that has none, keeping the rest", () => {
    const path = scratchPath();
    const before =
      "# mine\nSESSION_SECRET=my-own-secret-of-at-least-32-chars!\nCLERK_DOMAIN=http://127.0.0.1:4010";
    writeFileSync(path, before);
    expect(ensureDevVars(path, EXAMPLE)).toEqual({
      created: false,
      generated: ["CLERK_WEBHOOK_SIGNING_SECRET"],
    });
    const text = readFileSync(path, "utf8");
    expect(text.startsWith(`${before}\n`)).toBe(true);
    expect(readDevVars(path).CLERK_WEBHOOK_SIGNING_SECRET).toMatch(WEBHOOK_SECRET);
  });

  it("never makes up a webhook secret for a real Clerk instance, but still replaces a placeholder session secret", () => {
    const path = scratchPath();
    writeFileSync(path, `SESSION_SECRET=${PLACEHOLDER}\nCLERK_DOMAIN=clerk.example.com\n`);
    expect(ensureDevVars(path, EXAMPLE)).toEqual({ created: false, generated: ["SESSION_SECRET"] });
    const vars = readDevVars(path);
    expect(vars.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(vars.CLERK_WEBHOOK_SIGNING_SECRET).toBeUndefined();
  });

  it("the example itself is refused by the app until npm run dev fills it in", () => {
    const example = readDevVars(EXAMPLE);
    expect(example.SESSION_SECRET).toBe(PLACEHOLDER);
    const { CLERK_WEBHOOK_SIGNING_SECRET: webhookPlaceholder, ...rest } = example;
    expect(webhookPlaceholder).toBe(PLACEHOLDER);
    expect(() => readConfig({ ...stores, ...rest } as unknown as AuthBindings)).toThrow(
      /SESSION_SECRET/,
    );
    const longSecret = "a-hand-made-secret-of-32-characters!";
    expect(() =>
      readConfig({ ...stores, ...example, SESSION_SECRET: longSecret } as unknown as AuthBindings),
    ).toThrow(/CLERK_WEBHOOK_SIGNING_SECRET/);
    const path = scratchPath();
    ensureDevVars(path, EXAMPLE);
    expect(() =>
      readConfig({ ...stores, ...readDevVars(path) } as unknown as AuthBindings),
    ).not.toThrow();
  });

  it("reads dotenv syntax: comments, blank lines, quotes", () => {
    const path = scratchPath();
    writeFileSync(path, "# comment\n\nA=1\nB=\"two words\"\n  C = 'x'\n");
    expect(readDevVars(path)).toEqual({ A: "1", B: "two words", C: "x" });
  });

  it.each([
    ["http://127.0.0.1:4010", 4010],
    ["http://localhost:5000", 5000],
    ["clerk.example.com", null],
    ["https://clerk.example.com", null],
    [undefined, null],
  ])("starts the emulator for CLERK_DOMAIN=%s on port %s", (domain, port) => {
    expect(emulatorPort({ CLERK_DOMAIN: domain })).toBe(port);
  });
});
