// Builds what the integration and browser tests run: the auth package; the production Remix build,
// the Pages functions bundle `wrangler pages deploy` would upload, and the same bundle behind the
// test-only ops-counting middleware (KV and D1 counts, KV faults); and the React Router example's
// Worker, plain and counting. `node scripts/build-test.mjs` runs it alone.
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildPackages, EXAMPLE, run, stopOnSignals } from "./run.mjs";

const REACT_ROUTER_TEST = ".wrangler/test/react-router";

export async function buildForTests({ packages = true } = {}) {
  if (packages) await buildPackages();
  await run("remix build", "npx", ["remix", "build"]);
  await run("pages functions bundle", "npx", [
    "wrangler",
    "pages",
    "functions",
    "build",
    "--outdir",
    ".wrangler/test/pages",
  ]);
  await run("pages functions bundle with KV and D1 counting", "npx", [
    "wrangler",
    "pages",
    "functions",
    "build",
    "test/support/ops-counting/functions",
    "--outdir",
    ".wrangler/test/pages-counting",
  ]);
  await buildReactRouterExample();
}

/**
 * The React Router example's production build (`react-router build`, the Worker `wrangler deploy`
 * uploads), copied for the tests beside a test-only entry that counts KV and D1 calls around it.
 */
async function buildReactRouterExample() {
  await run("React Router example build", "npx", ["react-router", "build"], { cwd: EXAMPLE });
  rmSync(REACT_ROUTER_TEST, { recursive: true, force: true });
  cpSync(join(EXAMPLE, "build", "server"), REACT_ROUTER_TEST, { recursive: true });
  await run("React Router worker with KV and D1 counting", "npx", [
    "esbuild",
    "test/support/ops-counting/module-worker.ts",
    "--bundle",
    "--format=esm",
    "--platform=neutral",
    "--external:./index.js",
    `--outfile=${REACT_ROUTER_TEST}/counting.js`,
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  stopOnSignals();
  await buildForTests().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
