#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEFAULT_CLIENT } from "./emulator";
import { startClerkEmulator } from "./server";

const USAGE = `Usage: clerk-oauth-emulator [--host 127.0.0.1] [--port 4010]
  [--client-id ID] [--client-secret S] [--secret-key SK]
  [--redirect-uri URL ...] [--access-token-ttl SECONDS]
  [--webhook-url URL --webhook-secret whsec_...] [--without-organizations]

Organizations, roles and memberships are seeded for the test users unless
--without-organizations imitates an instance without them (user:org:read refused).`;

function parsePositiveInt(name: string, raw: string | undefined, fallback?: number) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

/** Both or neither: an endpoint without its secret could only deliver events the app refuses. */
function parseWebhooks(url: string | undefined, secret: string | undefined) {
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined || secret === undefined) {
    throw new Error("--webhook-url and --webhook-secret go together");
  }
  if (!URL.canParse(url)) throw new Error("--webhook-url must be an absolute URL");
  return { url, secret };
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "4010" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "secret-key": { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "access-token-ttl": { type: "string" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string" },
      "without-organizations": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  return values;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseCli>;
  let port: number | undefined;
  let accessTokenTtlSeconds: number | undefined;
  let webhooks: ReturnType<typeof parseWebhooks>;
  try {
    args = parseCli();
    port = parsePositiveInt("port", args.port);
    accessTokenTtlSeconds = parsePositiveInt("access-token-ttl", args["access-token-ttl"]);
    webhooks = parseWebhooks(args["webhook-url"], args["webhook-secret"]);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const redirectUris = args["redirect-uri"] ?? [];
  const running = await startClerkEmulator({
    host: args.host,
    port,
    secretKey: args["secret-key"],
    accessTokenTtlSeconds,
    webhooks,
    organizationsEnabled: !args["without-organizations"],
    clients: [
      {
        clientId: args["client-id"] ?? DEFAULT_CLIENT.clientId,
        clientSecret: args["client-secret"] ?? DEFAULT_CLIENT.clientSecret,
        redirectUris: redirectUris.length > 0 ? redirectUris : [...DEFAULT_CLIENT.redirectUris],
      },
    ],
  });

  console.log(`Clerk emulator listening on ${running.origin}`);
  console.log(
    `  test users: ${running.origin}/__admin (delete, ban, lock, rename; members and roles)`,
  );
  if (webhooks) console.log(`  webhooks to ${webhooks.url}`);
  for (const user of running.emulator.listUsers()) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
    const email = user.emailAddresses.find((a) => a.id === user.primaryEmailAddressId);
    const teams = running.emulator.listMemberships({ userId: user.id }).length;
    const inTeams = teams > 0 ? `  in ${teams} organization${teams === 1 ? "" : "s"}` : "";
    console.log(`  ${name} <${email?.emailAddress ?? "no email"}>  ${user.id}${inTeams}`);
  }

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    running.close().then(
      () => {
        // Lets a supervisor tell a clean stop from a crash when npx hides the exit code.
        console.log("Clerk emulator stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error("Clerk emulator did not close cleanly:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error("Clerk emulator failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
