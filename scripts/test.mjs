// `npm test`: typecheck, lint and format check, the builds the tests run against, then every
// vitest project (unit in Node, integration in workerd, the browser test when Chromium is here),
// closing with one "tests: N passed, N failed, N skipped" line.
// `node scripts/test.mjs unit|integration|e2e [vitest args]` runs one project, with the builds it
// needs and no typecheck or lint (npm run test:unit, test:integration, test:e2e). Other arguments
// go to vitest as they are, e.g. `npm test -- test/integration/sign-in.test.ts`.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { buildForTests } from "./build-test.mjs";
import { buildPackages, EXAMPLE, run, stopOnSignals } from "./run.mjs";

const REPORT = "test-output/vitest.json";
const PROJECTS = ["unit", "integration", "integration-react-router", "package", "e2e"];

stopOnSignals();
const [first = "", ...rest] = process.argv.slice(2);
const project = PROJECTS.includes(first) ? first : null;
const vitestArgs = project ? ["--project", project, ...rest] : process.argv.slice(2);

try {
  // The app typechecks and builds against the packages' builds, as an app that installed them would.
  await buildPackages();
  if (!project) {
    await run("typecheck", "npx", ["tsc"]);
    await run("typecheck (React Router example)", "npm", ["run", "typecheck"], { cwd: EXAMPLE });
    await run("lint and format check", "npx", ["biome", "ci", "."]);
  }
  if (project !== "unit") await buildForTests({ packages: false });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

rmSync(REPORT, { force: true });
const passed = await run(`vitest${project ? ` (${project})` : ""}`, "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${REPORT}`,
  ...vitestArgs,
]).then(
  () => true,
  () => false,
);
if (existsSync(REPORT)) {
  // One plain closing line that CI and people can read at a glance.
  const report = JSON.parse(readFileSync(REPORT, "utf8"));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
}
process.exit(passed ? 0 : 1);
