// Everything the bench starts is stopped on exit, on failure and on SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import { killGroup } from "../../test/support/pages-dev";
import { quietWranglerEnv } from "../quiet-wrangler-env.mjs";
import { ROOT } from "./settings";

const cleanups = new Set<() => Promise<void>>();

export function onCleanup(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function cleanupAll(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    await cleanup().catch((error: unknown) => console.error("Cleanup failed:", error));
  }
}

let shuttingDown = false;
export async function shutdown(code: number, reason: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.error(`\nbench: ${reason}; stopping what it started.`);
    await cleanupAll();
  }
  process.exit(code);
}

export function shutdownOnSignals(): void {
  process.once("SIGINT", () => void shutdown(130, "interrupted"));
  process.once("SIGTERM", () => void shutdown(143, "terminated"));
}

/**
 * Runs a command to completion and returns what it printed; throws with that output on failure.
 * Each command gets its own process group, so stopping one also stops wrangler's workerd.
 */
export function runCommand(label: string, command: string, args: string[]): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: quietWranglerEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const forget = onCleanup(() => killGroup(child));
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      forget();
      if (code === 0) {
        console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        resolve(output);
      } else reject(new Error(`${label} failed (${code ?? signal}):\n${output}`));
    });
  });
}
