// `npm run dev`: applies the D1 migrations to the local SESSION_DB, builds, watches, starts the
// Clerk emulator when .dev.vars points at it (delivering webhooks to the app), and serves with
// `wrangler pages dev` on http://127.0.0.1:8788. Ctrl-C stops everything this started.
import { spawn } from "node:child_process";
import { emulatorPort, ensureDevVars, readDevVars } from "./dev-vars.mjs";
import {
  bin,
  buildPackages,
  migrateLocalD1,
  onStop,
  quietWranglerEnv,
  run,
  stopAll,
  stopOnSignals,
} from "./run.mjs";

const HOST = "127.0.0.1";
const PORT = 8788;
const APP = `http://${HOST}:${PORT}`;

/** Starts a long-running part of the dev setup; when one exits, everything stops. */
function start(command, args) {
  const child = spawn(command, args, { stdio: "inherit", env: quietWranglerEnv });
  let stopped = false;
  onStop(async () => {
    stopped = true;
    if (child.exitCode === null) child.kill("SIGTERM");
  });
  child.on("exit", (code) => {
    if (stopped) return;
    console.error(`${command} exited (${code}); stopping.`);
    void fail();
  });
}

async function fail(error) {
  if (error) console.error(error instanceof Error ? error.message : String(error));
  await stopAll();
  process.exit(1);
}

stopOnSignals();
const { created, generated } = ensureDevVars();
if (created) console.log("Created .dev.vars from .dev.vars.example (local emulator).");
if (generated.length) console.log(`Generated a random ${generated.join(" and ")} in .dev.vars.`);
const vars = readDevVars();

await migrateLocalD1().catch(fail);

const port = emulatorPort(vars);
if (port !== null) {
  const redirectUris = vars.CLERK_CALLBACK_URL
    ? [vars.CLERK_CALLBACK_URL]
    : [`${APP}/auth/clerk/callback`, `http://localhost:${PORT}/auth/clerk/callback`];
  const webhookSecret = vars.CLERK_WEBHOOK_SIGNING_SECRET;
  start(bin("clerk-oauth-emulator"), [
    "--host",
    HOST,
    "--port",
    String(port),
    "--client-id",
    vars.CLERK_CLIENT_ID ?? "",
    "--client-secret",
    vars.CLERK_CLIENT_SECRET ?? "",
    ...(vars.CLERK_SECRET_KEY ? ["--secret-key", vars.CLERK_SECRET_KEY] : []),
    ...redirectUris.flatMap((uri) => ["--redirect-uri", uri]),
    ...(webhookSecret
      ? ["--webhook-url", `${APP}/webhooks/clerk`, "--webhook-secret", webhookSecret]
      : []),
  ]);
}

await buildPackages().catch(fail);
await run("remix build", bin("remix"), ["build"]).catch(fail);
// The app imports the auth package's build, as an installed copy would be: rebuild it on change.
start(bin("tsc"), [
  "-p",
  "packages/clerk-edge-auth/tsconfig.build.json",
  "--watch",
  "--preserveWatchOutput",
]);
start(bin("remix"), ["watch"]);
start(bin("wrangler"), ["pages", "dev", "--ip", HOST, "--port", String(PORT)]);
console.log(`\nApp: ${APP}  (sign in at ${APP}/private)\n`);
