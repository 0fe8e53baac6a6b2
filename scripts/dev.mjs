// `npm run dev`: build, watch, start the Clerk emulator when .dev.vars points at it, and serve with
// `wrangler pages dev` on http://127.0.0.1:8788. Ctrl-C stops everything this started.
import { spawn, spawnSync } from "node:child_process";
import { emulatorPort, ensureDevVars, readDevVars } from "./dev-vars.mjs";
import { quietWranglerEnv } from "./quiet-wrangler-env.mjs";

const HOST = "127.0.0.1";
// The binaries themselves, not `npx`: npx does not pass signals on, so stopping it would leave
// the emulator, remix or wrangler running.
const bin = (name) => `node_modules/.bin/${name}`;
const PORT = 8788;
const children = [];

function start(command, args) {
  const child = spawn(command, args, { stdio: "inherit", env: quietWranglerEnv });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${command} exited (${code}); stopping.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

if (ensureDevVars())
  console.log("Created .dev.vars from .dev.vars.example (local emulator, random SESSION_SECRET).");
const vars = readDevVars();

const port = emulatorPort(vars);
if (port !== null) {
  const redirectUris = vars.CLERK_CALLBACK_URL
    ? [vars.CLERK_CALLBACK_URL]
    : [
        `http://${HOST}:${PORT}/auth/clerk/callback`,
        `http://localhost:${PORT}/auth/clerk/callback`,
      ];
  start(bin("tsx"), [
    "test/clerk-emulator/cli.ts",
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
  ]);
}

const build = spawnSync(bin("remix"), ["build"], { stdio: "inherit", env: quietWranglerEnv });
if (build.status !== 0) stop(build.status ?? 1);

start(bin("remix"), ["watch"]);
start(bin("wrangler"), ["pages", "dev", "--ip", HOST, "--port", String(PORT)]);
console.log(`\nApp: http://${HOST}:${PORT}  (sign in at http://${HOST}:${PORT}/private)\n`);
