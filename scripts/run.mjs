import { spawnSync } from "node:child_process";
import { quietWranglerEnv } from "./quiet-wrangler-env.mjs";

/** Runs one command with inherited output and wrangler kept offline; exits on failure. */
export function run(label, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...quietWranglerEnv, ...env },
  });
  if (result.status !== 0) {
    console.error(`✘ ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
