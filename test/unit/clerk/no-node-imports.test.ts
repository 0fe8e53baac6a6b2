import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../../../app/clerk/", import.meta.url);
const files = readdirSync(dir).filter((name) => /\.tsx?$/.test(name));

describe("app/clerk runs on Workers", () => {
  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s uses no Node-only modules or globals", (name) => {
    const source = readFileSync(new URL(name, dir), "utf8");
    expect(source).not.toMatch(/["']node:/);
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).not.toMatch(/\bprocess\./);
    expect(source).not.toMatch(/\bBuffer\b/);
  });
});
