import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { emulatorPort, ensureDevVars, readDevVars } from "../../../scripts/dev-vars.mjs";

const EXAMPLE = new URL("../../../.dev.vars.example", import.meta.url).pathname;

describe("npm run dev's .dev.vars handling", () => {
  test("creates .dev.vars from the example once, with a fresh random session secret", () => {
    const dir = mkdtempSync(join(tmpdir(), "dev-vars-"));
    const path = join(dir, ".dev.vars");
    expect(ensureDevVars(path, EXAMPLE)).toBe(true);
    const vars = readDevVars(path);
    expect(vars.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(vars.CLERK_DOMAIN).toBe("http://127.0.0.1:4010");
    expect(statSync(path).mode & 0o077).toBe(0);
    const other = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    ensureDevVars(other, EXAMPLE);
    expect(readDevVars(other).SESSION_SECRET).not.toBe(vars.SESSION_SECRET);
    expect(ensureDevVars(path, EXAMPLE)).toBe(false);
  });

  test("reads dotenv syntax: comments, blank lines, quotes", () => {
    const path = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    writeFileSync(path, "# comment\n\nA=1\nB=\"two words\"\n  C = 'x'\n");
    expect(readDevVars(path)).toEqual({ A: "1", B: "two words", C: "x" });
    expect(readFileSync(path, "utf8")).toContain("# comment");
  });

  test.each([
    ["http://127.0.0.1:4010", 4010],
    ["http://localhost:5000", 5000],
    ["clerk.example.com", null],
    ["https://clerk.example.com", null],
    [undefined, null],
  ])("starts the emulator for CLERK_DOMAIN=%s on port %s", (domain, port) => {
    expect(emulatorPort({ CLERK_DOMAIN: domain })).toBe(port);
  });
});
