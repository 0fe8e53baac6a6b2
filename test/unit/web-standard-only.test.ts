import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Everything the Pages and Workers entries bundle runs in workerd, where Node built-ins are absent
// without compatibility flags: every source under app/ and functions/, worker.ts, and the auth
// package's sources.
const ROOT = new URL("../../", import.meta.url).pathname;
const SCANNED = ["app", "functions", "worker.ts", "packages/clerk-edge-auth/src"];

/** Every .ts/.tsx file at or below `path` (relative to the repository root). */
function sourcesAt(path: string): string[] {
  if (!statSync(join(ROOT, path)).isDirectory()) return [path];
  return readdirSync(join(ROOT, path), { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => join(path, name));
}

const SOURCES = SCANNED.flatMap(sourcesAt).sort();

const NODE_ONLY = [
  ["a node: import", /["']node:/],
  ["require()", /\brequire\s*\(/],
  ["process", /\bprocess\b/],
  ["Buffer", /\bBuffer\b/],
] as const;

describe("the sources workerd runs", () => {
  it("include both entries, the app and the auth package", () => {
    expect(SOURCES).toEqual(
      expect.arrayContaining([
        "worker.ts",
        "functions/[[path]].ts",
        "app/root.tsx",
        "packages/clerk-edge-auth/src/auth/clerk-strategy.server.ts",
      ]),
    );
  });

  it.each(SOURCES)("%s uses only web-standard APIs", (path) => {
    const source = readFileSync(join(ROOT, path), "utf8");
    for (const [label, pattern] of NODE_ONLY) {
      expect(pattern.test(source), `${path} contains ${label}`).toBe(false);
    }
  });
});
