// `npm run dev`: creates .dev.vars (random secrets, pointing at the local Clerk emulator) on first
// run, applies the auth package's D1 migrations locally, starts the emulator (delivering Clerk's
// webhooks to this app) and `react-router dev` on http://127.0.0.1:5173. Ctrl-C stops both.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const HOST = "127.0.0.1";
const PORT = 5173;
const APP = `http://${HOST}:${PORT}`;
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
};
const GENERATED = {
  SESSION_SECRET: () => randomBytes(32).toString("hex"),
  CLERK_WEBHOOK_SIGNING_SECRET: () => `whsec_${randomBytes(32).toString("base64")}`,
};

let text = readFileSync(existsSync(".dev.vars") ? ".dev.vars" : ".dev.vars.example", "utf8");
for (const [name, generate] of Object.entries(GENERATED)) {
  text = text.replace(new RegExp(`^${name}=replace-me$`, "m"), `${name}=${generate()}`);
}
writeFileSync(".dev.vars", text, { mode: 0o600 });
const vars = Object.fromEntries(
  [...text.matchAll(/^([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name, value.trim()]),
);

const migrated = spawnSync(
  "npx",
  ["wrangler", "d1", "migrations", "apply", "SESSION_DB", "--local"],
  {
    stdio: "inherit",
    env,
  },
);
if (migrated.status !== 0) process.exit(1);

const children = [];
function start(command, args) {
  const child = spawn(command, args, { stdio: "inherit", env });
  children.push(child);
  child.on("exit", (code) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill();
    process.exitCode = code ?? 1;
  });
}

const emulator = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(vars.CLERK_DOMAIN ?? "");
if (emulator) {
  start("node_modules/.bin/clerk-oauth-emulator", [
    "--host",
    HOST,
    "--port",
    emulator[1],
    "--client-id",
    vars.CLERK_CLIENT_ID,
    "--client-secret",
    vars.CLERK_CLIENT_SECRET,
    "--secret-key",
    vars.CLERK_SECRET_KEY,
    "--redirect-uri",
    `${APP}/auth/clerk/callback`,
    "--redirect-uri",
    `http://localhost:${PORT}/auth/clerk/callback`,
    "--webhook-url",
    `${APP}/webhooks/clerk`,
    "--webhook-secret",
    vars.CLERK_WEBHOOK_SIGNING_SECRET,
  ]);
}
start("node_modules/.bin/react-router", [
  "dev",
  "--host",
  HOST,
  "--port",
  String(PORT),
  "--strictPort",
]);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  });
}
