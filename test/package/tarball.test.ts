import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  type RunningClerkEmulator,
  SEED_USERS,
  startClerkEmulator,
  DEFAULT_CLIENT,
} from "clerk-oauth-emulator";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietWranglerEnv } from "../../scripts/run.mjs";
import { applyMigrations, fetchAsBrowser } from "../support/app-harness";
import { emulatorBindings } from "../support/bindings";
import { CookieJar } from "../support/cookie-jar";
import { signInThroughEmulator } from "../support/sign-in-flow";
import { type AppFiles, reactRouterApp, remixApp } from "./minimal-apps";

// The package as a user gets it: `npm pack`, then a fresh folder outside the repository holding a
// minimal app that installs the tarball, typechecks, builds and serves a signed-in page in workerd.
const PACKAGE = new URL("../../packages/clerk-edge-auth", import.meta.url).pathname;
const ORIGIN = "http://127.0.0.1:8788";
const ADA = SEED_USERS[0] as (typeof SEED_USERS)[0];

let scratch: string;
let tarball: string;
let clerk: RunningClerkEmulator;

function sh(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd,
    env: quietWranglerEnv,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 240_000,
  });
}

function writeApp(name: string, files: AppFiles): string {
  const root = join(scratch, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  sh(root, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"]);
  return root;
}

async function signedInPage(mf: Miniflare): Promise<string> {
  const db = (await mf.getD1Database("SESSION_DB")) as unknown as D1Database;
  await applyMigrations(db);
  const jar = new CookieJar();
  const app = { fetch: fetchAsBrowser(mf) };
  const { callback } = await signInThroughEmulator(app, jar, {
    userId: ADA.id,
    redirectTo: "/private",
  });
  expect(callback.status).toBe(302);
  expect(callback.headers.get("Location")).toBe("/private");
  const page = await app.fetch("/private", { jar });
  expect(page.status).toBe(200);
  // React separates adjacent text with empty comments.
  return (await page.text()).replaceAll("<!-- -->", "");
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "clerk-edge-auth-tarball-"));
  const packed = sh(PACKAGE, "npm", ["pack", "--pack-destination", scratch, "--silent"]).trim();
  tarball = join(scratch, packed.split("\n").pop() ?? "");
  clerk = await startClerkEmulator({
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${ORIGIN}/auth/clerk/callback`] }],
  });
}, 120_000);

afterAll(async () => {
  await clerk?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("clerk-edge-auth from its tarball, installed as a user would", () => {
  it("the tarball holds the built entries, types and migrations, and nothing of the repository", () => {
    const listing = sh(scratch, "tar", ["tzf", tarball]).split("\n");
    expect(listing).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/remix/index.js",
        "package/dist/react-router/react.d.ts",
        "package/migrations/0001_sessions.sql",
        "package/README.md",
      ]),
    );
    expect(
      listing.some((entry) => entry.startsWith("package/src/") || entry.includes("test/")),
    ).toBe(false);
  });

  it("a minimal Remix v2 app on Pages typechecks, builds and serves a signed-in page", async () => {
    const root = writeApp("remix-app", remixApp(tarball));
    expect(readFileSync(join(root, "package-lock.json"), "utf8")).not.toContain(PACKAGE);
    sh(root, "npx", ["tsc"]);
    sh(root, "npx", ["remix", "build"]);
    sh(root, "npx", ["wrangler", "pages", "functions", "build", "--outdir", "dist"]);
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        modules: [{ type: "ESModule", path: join(root, "dist/index.js") }],
        modulesRoot: join(root, "dist"),
        compatibilityDate: "2026-10-19",
        kvNamespaces: ["SESSION_KV"],
        d1Databases: ["SESSION_DB"],
        bindings: emulatorBindings(clerk.origin),
        serviceBindings: { ASSETS: () => new Response("Not found", { status: 404 }) },
      }),
    );
    try {
      const html = await signedInPage(mf);
      expect(html).toContain("Signed in as ada@example.com");
    } finally {
      await mf.dispose();
    }
  }, 300_000);

  it("a minimal React Router 8 app on Workers (create-cloudflare's shape) typechecks, builds and serves a signed-in page", async () => {
    const root = writeApp("react-router-app", reactRouterApp(tarball));
    sh(root, "npx", ["wrangler", "types"]);
    sh(root, "npx", ["react-router", "typegen"]);
    sh(root, "npx", ["tsc", "-b"]);
    sh(root, "npx", ["react-router", "build"]);
    const server = join(root, "build/server");
    const chunks = readdirSync(join(server, "assets")).filter((file) => file.endsWith(".js"));
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        modulesRoot: server,
        modules: ["index.js", ...chunks.map((file) => `assets/${file}`)].map((file) => ({
          type: "ESModule" as const,
          path: join(server, file),
        })),
        compatibilityDate: "2026-10-19",
        kvNamespaces: ["SESSION_KV"],
        d1Databases: ["SESSION_DB"],
        bindings: emulatorBindings(clerk.origin),
        assets: { directory: join(root, "build/client"), routerConfig: { has_user_worker: true } },
      }),
    );
    try {
      const html = await signedInPage(mf);
      expect(html).toContain("Signed in as ada@example.com");
    } finally {
      await mf.dispose();
    }
  }, 300_000);
});
