import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Everything in app/ runs in workerd, where Node built-ins are absent without compatibility flags.
const APP = new URL("../../../app/", import.meta.url).pathname;
const SOURCES = readdirSync(APP, { recursive: true, encoding: "utf8" })
  .filter((path) => /\.tsx?$/.test(path))
  .map((path) => join(APP, path));

const NODE_ONLY = [
  ["a node: import", /["']node:/],
  ["require()", /\brequire\s*\(/],
  ["process", /\bprocess\b/],
  ["Buffer", /\bBuffer\b/],
] as const;

describe("app sources", () => {
  it("include the strategy and its helpers", () => {
    const names = SOURCES.map((path) => relative(APP, path));
    expect(names).toEqual(expect.arrayContaining(["auth/clerk-strategy.server.ts", "root.tsx"]));
  });

  it.each(SOURCES.map((path) => [relative(APP, path), path]))(
    "%s uses only web-standard APIs",
    (name, path) => {
      const source = readFileSync(path, "utf8");
      for (const [label, pattern] of NODE_ONLY) {
        expect(pattern.test(source), `${name} contains ${label}`).toBe(false);
      }
    },
  );
});
