// `npm test`: typecheck, lint and format check, the builds the tests run against, then every
// vitest project (unit in Node, integration in workerd, the browser test when Chromium is here).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { quietWranglerEnv } from "./quiet-wrangler-env.mjs";
import { run } from "./run.mjs";

const REPORT = "test-output/vitest.json";

run("typecheck", "npx", ["tsc"]);
run("lint and format check", "npx", ["biome", "ci", "."]);
await import("./build-test.mjs");

rmSync(REPORT, { force: true });
const vitest = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${REPORT}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", env: quietWranglerEnv },
);
if (existsSync(REPORT)) {
  // One plain closing line that CI and people can read at a glance.
  const report = JSON.parse(readFileSync(REPORT, "utf8"));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
}
process.exit(vitest.status ?? 1);
