// The one command runner of the scripts, the tests' servers and the bench: every command runs with
// wrangler kept offline, in its own process group, and is stopped with its children on failure.
import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Wrangler's network calls that an offline machine must not make: usage metrics, error reports,
 * the `request.cf` download, and the update check behind the banner.
 */
export const quietWranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
};

/** A process's own binary in node_modules: unlike `npx`, it passes signals on to the command. */
export const bin = (name) => `${ROOT}node_modules/.bin/${name}`;

/**
 * Runs `command` to completion from the repository root and resolves with what it printed.
 * `quiet` keeps the output (shown only in the error on failure); otherwise it goes to the
 * terminal as it comes. Stdin is never a terminal, so wrangler takes its non-interactive defaults
 * instead of asking. Rejects with an error naming `label` when the command fails.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ quiet?: boolean, env?: Record<string, string>, cwd?: string }} [options]
 * @returns {Promise<string>}
 */
export function run(label, command, args, { quiet = false, env = {}, cwd = ROOT } = {}) {
  const started = Date.now();
  if (!quiet) console.log(`\n▶ ${label}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...quietWranglerEnv, ...env },
      stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
      detached: true,
    });
    running.add(child);
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.once("error", (error) => {
      running.delete(child);
      reject(new Error(`${label}: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      running.delete(child);
      if (code === 0) {
        console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        resolve(output);
      } else reject(new Error(`✘ ${label} failed (exit ${code ?? signal})\n${output}`.trimEnd()));
    });
  });
}

/** Commands started by `run` that have not finished. */
const running = new Set();
/** @type {Set<() => Promise<void>>} */
const cleanups = new Set();

/**
 * Registers `cleanup` (stop a server, remove a folder) for `stopAll`; returns a function that
 * unregisters it, for when the thing was stopped the normal way.
 * @param {() => Promise<void>} cleanup
 */
export function onStop(cleanup) {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Stops every command `run` started that still runs, then every registered cleanup, newest first. */
export async function stopAll() {
  await Promise.all([...running].map((child) => killGroup(child)));
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    await cleanup().catch((error) => console.error("Cleanup failed:", error));
  }
}

/**
 * Ctrl-C and SIGTERM run `stopAll` and exit with the signal's code. The commands run in process
 * groups of their own, so a terminal's Ctrl-C reaches them only through this.
 */
export function stopOnSignals() {
  for (const [name, code] of /** @type {const} */ ([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])) {
    process.once(name, () => void stopAll().finally(() => process.exit(code)));
  }
}

/** The React Router example: its own project and lock, with the auth package installed as a copy. */
export const EXAMPLE = `${ROOT}examples/react-router`;

/**
 * Builds the workspace packages (the auth package's dist/), which the app imports as an installed
 * copy would be (`npm ci` builds them too, through their `prepare` script), and refreshes the copy
 * the React Router example installed, as reinstalling it would.
 */
export async function buildPackages() {
  await run("build packages", "npm", ["run", "build", "--workspaces", "--if-present"], {
    quiet: true,
  });
  const installed = join(EXAMPLE, "node_modules", "clerk-edge-auth");
  if (!existsSync(installed) || lstatSync(installed).isSymbolicLink()) return;
  const source = join(ROOT, "packages", "clerk-edge-auth");
  const { files } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  for (const entry of [...files, "package.json"]) {
    rmSync(join(installed, entry), { recursive: true, force: true });
    if (existsSync(join(source, entry)))
      cpSync(join(source, entry), join(installed, entry), { recursive: true });
  }
}

/**
 * Applies the auth package's migrations (wrangler.toml's migrations_dir) to the local D1 database of SESSION_DB, in `persistTo` (wrangler's
 * .wrangler/state when omitted), as `wrangler d1 migrations apply --local` does it.
 * @param {string} [persistTo]
 * @param {string} [cwd] the app whose wrangler config names the database (default: the Remix app)
 */
export function migrateLocalD1(persistTo, cwd = ROOT) {
  return run(
    "apply D1 migrations to the local SESSION_DB",
    "npx",
    [
      "wrangler",
      "d1",
      "migrations",
      "apply",
      "SESSION_DB",
      "--local",
      ...(persistTo ? ["--persist-to", persistTo] : []),
    ],
    { quiet: true, cwd },
  );
}

const GROUP_EXIT_TIMEOUT_MS = 5_000;

/**
 * Stops a command started with `detached: true` together with everything it started (npx,
 * wrangler and workerd share its process group): SIGTERM, then SIGKILL after a grace period.
 * @param {import("node:child_process").ChildProcess} child
 */
export async function killGroup(child) {
  if (child.pid === undefined) return;
  const group = -child.pid;
  if (!signal(group, "SIGTERM")) return;
  // npx exits before wrangler and workerd have stopped: wait for the whole group, not the child.
  const deadline = Date.now() + GROUP_EXIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!signal(group, 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal(group, "SIGKILL");
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signal(group, name) {
  try {
    process.kill(group, name);
    return true;
  } catch {
    return false;
  }
}
