// Builds what the integration and browser tests run: the auth package, the production Remix build, the Pages
// functions bundle `wrangler pages deploy` would upload, and the same bundle behind the test-only
// ops-counting middleware (KV and D1 counts, KV faults). `node scripts/build-test.mjs` runs it alone.
import { pathToFileURL } from "node:url";
import { buildPackages, run, stopOnSignals } from "./run.mjs";

export async function buildForTests() {
  await buildPackages();
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
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  stopOnSignals();
  await buildForTests().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
