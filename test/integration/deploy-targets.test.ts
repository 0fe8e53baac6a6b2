import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { quietWranglerEnv } from "../../scripts/run.mjs";
import { APP_ORIGIN, applyMigrations } from "../support/app-harness";
import { validBindings } from "../support/bindings";
import { COMPATIBILITY_DATE, readCompatibilityDate } from "../support/compatibility-date";
import { workerdLogs } from "../support/workerd-logs";

const ROOT = new URL("../..", import.meta.url).pathname;

function bindingsOf(file: string) {
  const toml = readFileSync(join(ROOT, file), "utf8");
  return {
    kv: [...toml.matchAll(/^binding\s*=\s*"([^"]+)"/gm)].map((match) => match[1]).sort(),
    compatibilityDate: readCompatibilityDate(file),
  };
}

describe("the two deploy targets", () => {
  it("Pages and Workers configs declare the same KV bindings and compatibility date", () => {
    const pages = bindingsOf("wrangler.toml");
    const workers = bindingsOf("wrangler.workers.toml");
    expect(pages.kv).toContain("SESSION_KV");
    expect(workers.kv.filter((name) => name !== "ASSETS")).toEqual(pages.kv);
    expect(workers.compatibilityDate).toBe(pages.compatibilityDate);
  });

  it("the Workers config bundles offline with `wrangler deploy --dry-run`, and the bundle serves the app", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "workers-dry-run-"));
    try {
      const result = spawnSync(
        "npx",
        ["wrangler", "deploy", "-c", "wrangler.workers.toml", "--dry-run", "--outdir", outdir],
        { cwd: ROOT, env: quietWranglerEnv, encoding: "utf8", timeout: 60_000 },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain("SESSION_KV");
      expect(result.stdout).toContain("SESSION_DB");
      expect(result.stdout).toMatch(/Total Upload/);

      // The same build behind worker.ts: the edge guard, config check and Remix all run there too.
      const mf = new Miniflare(
        convertV4MiniflareOptions({
          modules: [{ type: "ESModule", path: join(outdir, "worker.js") }],
          modulesRoot: outdir,
          compatibilityDate: COMPATIBILITY_DATE,
          ...workerdLogs().options,
          kvNamespaces: ["SESSION_KV"],
          d1Databases: ["SESSION_DB"],
          bindings: validBindings(),
        }),
      );
      try {
        await applyMigrations((await mf.getD1Database("SESSION_DB")) as unknown as D1Database);
        const home = await mf.dispatchFetch(`${APP_ORIGIN}/`);
        expect(home.status).toBe(200);
        expect(home.headers.get("Content-Security-Policy")).toContain("nonce-");
        await home.arrayBuffer();
        const login = await mf.dispatchFetch(`${APP_ORIGIN}/login`, { redirect: "manual" });
        expect(login.status).toBe(302);
        expect(login.headers.get("Location")).toMatch(/\/oauth\/authorize\?/);
        const forged = await mf.dispatchFetch(`${APP_ORIGIN}/logout`, {
          method: "POST",
          headers: { Origin: "https://evil.example" },
        });
        expect(forged.status).toBe(403);
        await forged.arrayBuffer();

        // The cron trigger wrangler.workers.toml declares runs the pruning.
        expect(readFileSync(join(ROOT, "wrangler.workers.toml"), "utf8")).toMatch(
          /\[triggers\]\s*crons = \["[^"]+"\]/,
        );
        const db = (await mf.getD1Database("SESSION_DB")) as unknown as D1Database;
        await db
          .prepare(
            `INSERT INTO sessions (id_hash, handle, user_id, user_json, access_token, created_at,
               expires_at) VALUES ('expired', 'h', 'user_1', '{}', '', 0, 1)`,
          )
          .run();
        const cron = await (await mf.getWorker()).scheduled({ cron: "17 * * * *" });
        expect(cron.outcome).toBe("ok");
        expect(await db.prepare("SELECT count(*) AS n FROM sessions").first("n")).toBe(0);
      } finally {
        await mf.dispose();
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("the React Router example deploys offline with `wrangler deploy --dry-run`, on the same date, without nodejs_compat", () => {
    const example = join(ROOT, "examples/react-router");
    const config = readFileSync(join(example, "wrangler.jsonc"), "utf8");
    expect(config).not.toContain("nodejs_compat");
    expect(/"compatibility_date":\s*"([^"]+)"/.exec(config)?.[1]).toBe(COMPATIBILITY_DATE);
    for (const name of ["SESSION_KV", "SESSION_DB"]) expect(config).toContain(`"${name}"`);
    const outdir = mkdtempSync(join(tmpdir(), "react-router-dry-run-"));
    try {
      // After `react-router build`, wrangler deploys build/server/wrangler.json, the config the
      // vite plugin wrote.
      const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
        cwd: example,
        env: quietWranglerEnv,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Total Upload/);
      expect(result.stdout).toContain("SESSION_DB");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("the Pages functions bundle exists and never needs nodejs_compat", () => {
    const bundle = readFileSync(join(ROOT, ".wrangler/test/pages/index.js"), "utf8");
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(bundle).not.toMatch(/from\s*["']node:/);
    expect(readFileSync(join(ROOT, "wrangler.toml"), "utf8")).not.toContain("nodejs_compat");
  });
});
