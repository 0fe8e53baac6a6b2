// `npm test`: typecheck, lint and format check, the builds the tests run against, then every
// vitest project (unit in Node, integration in workerd, the browser test when Chromium is here).
import { run } from "./run.mjs";

run("typecheck", "npx", ["tsc"]);
run("lint and format check", "npx", ["biome", "ci", "."]);
await import("./build-test.mjs");
run("vitest", "npx", ["vitest", "run", ...process.argv.slice(2)]);
