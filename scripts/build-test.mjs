// Builds what the integration tests run: the production Remix build, the Pages functions bundle
// `wrangler pages deploy` would upload, and the same bundle behind the test-only KV-counting middleware.
import { run } from "./run.mjs";

run("remix build", "npx", ["remix", "build"]);
run("pages functions bundle", "npx", [
  "wrangler",
  "pages",
  "functions",
  "build",
  "--outdir",
  ".wrangler/test/pages",
]);
run("pages functions bundle with KV counting", "npx", [
  "wrangler",
  "pages",
  "functions",
  "build",
  "test/support/kv-counting/functions",
  "--outdir",
  ".wrangler/test/pages-counting",
]);
