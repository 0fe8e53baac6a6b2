import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The app uses the auth package exactly as an app that installed it would: through the entry points
// of its `exports` map, never a file inside it.
const ROOT = new URL("../../", import.meta.url).pathname;
const APP_SOURCES = ["app", "functions", "worker.ts"];
const PACKAGE = "clerk-edge-auth";
const manifest = JSON.parse(
  readFileSync(join(ROOT, "packages", PACKAGE, "package.json"), "utf8"),
) as { exports: Record<string, unknown> };
const ENTRY_POINTS = Object.keys(manifest.exports).map((key) => join(PACKAGE, key));

function sourcesAt(path: string): string[] {
  if (!statSync(join(ROOT, path)).isDirectory()) return [path];
  return readdirSync(join(ROOT, path), { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => join(path, name));
}

/** Every module specifier of `import … from`, `export … from` and `import(…)` in a source. */
function specifiers(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)["']([^"']+)["']/gm);
  return [...found].map((match) => match[1] ?? "");
}

const SOURCES = APP_SOURCES.flatMap(sourcesAt).sort();

describe("the app and the auth package", () => {
  it("the app imports the package (the check is not vacuous)", () => {
    const all = SOURCES.flatMap((path) => specifiers(readFileSync(join(ROOT, path), "utf8")));
    expect(all).toContain(PACKAGE);
    expect(all).toContain(`${PACKAGE}/remix`);
  });

  it.each(SOURCES)("%s imports the package only through its public entry points", (path) => {
    for (const specifier of specifiers(readFileSync(join(ROOT, path), "utf8"))) {
      expect(specifier, `${path} reaches into the package's files`).not.toMatch(/packages\//);
      if (specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`)) {
        expect(ENTRY_POINTS, `${path} imports ${specifier}`).toContain(specifier);
      }
    }
  });
});
