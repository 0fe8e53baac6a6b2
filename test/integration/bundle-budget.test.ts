import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { TARGETS } from "../../scripts/bench/settings";
import { quietWranglerEnv } from "../../scripts/run.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;

/** gzip -9 of every script wrangler wrote, as `npm run bench` measures it. */
function gzipBytes(dir: string): number {
  const scripts = readdirSync(dir).filter((name) => /\.(m?js|wasm)$/.test(name));
  const body = Buffer.concat(scripts.map((name) => readFileSync(join(dir, name))));
  return gzipSync(body, { level: 9 }).length;
}

// Why the Backend API client is hand-written (decision 007): Clerk's SDK alone put it over.
describe("the bundle budget", () => {
  it("keeps the minified Pages functions bundle at or under 200,000 B gzip", () => {
    const outdir = mkdtempSync(join(tmpdir(), "bundle-budget-"));
    try {
      const result = spawnSync(
        "npx",
        ["wrangler", "pages", "functions", "build", "--minify", "--outdir", outdir],
        {
          cwd: ROOT,
          // Wrangler bakes its NODE_ENV into the bundle: measure what a deploy ships, not "test".
          env: { ...quietWranglerEnv, NODE_ENV: "production" },
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(result.status, result.stderr).toBe(0);
      const bytes = gzipBytes(outdir);
      expect(bytes).toBeGreaterThan(10_000);
      expect(bytes).toBeLessThanOrEqual(TARGETS.minifiedPagesGzipBytes);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
