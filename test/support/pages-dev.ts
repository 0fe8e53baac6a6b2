import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE, killGroup, migrateLocalD1, quietWranglerEnv } from "../../scripts/run.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const READY_TIMEOUT_MS = 60_000;

export interface PagesDev {
  origin: string;
  /** Everything wrangler printed, for diagnosing a failed start. */
  output(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, found by letting the OS pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(),
      );
    });
  });
}

/** Every string binding of the app: each is passed, empty when unset, so .dev.vars cannot fill one in. */
const APP_BINDINGS = [
  "SESSION_SECRET",
  "CLERK_DOMAIN",
  "CLERK_CLIENT_ID",
  "CLERK_CLIENT_SECRET",
  "CLERK_CALLBACK_URL",
  "CLERK_SCOPES",
  "CLERK_SECRET_KEY",
  "CLERK_API_URL",
  "CLERK_WEBHOOK_SIGNING_SECRET",
];

/** How each app is served locally from its production build. */
const SERVERS = {
  /** The Remix app: `wrangler pages dev` on ./public and the Pages Function. */
  remix: {
    cwd: ROOT,
    args: (port: number, state: string, bindings: Record<string, string>) => [
      "pages",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      ...APP_BINDINGS.flatMap((name) => ["--binding", `${name}=${bindings[name] ?? ""}`]),
    ],
  },
  /** The React Router example: `wrangler dev` on its build (build/server/wrangler.json). */
  "react-router": {
    cwd: EXAMPLE,
    args: (port: number, state: string, bindings: Record<string, string>) => [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      "0",
      "--persist-to",
      state,
      ...APP_BINDINGS.flatMap((name) => ["--var", `${name}:${bindings[name] ?? ""}`]),
    ],
  },
};

export type ServedApp = keyof typeof SERVERS;

/**
 * The built app on 127.0.0.1 and a free port, served the way `npm run dev` serves it (wrangler
 * pages dev for the Remix app, wrangler dev for the React Router example), with its own KV and D1
 * folder (migrations applied first) and exactly these bindings (a developer's .dev.vars never
 * leaks in).
 */
export async function startPagesDev(
  bindings: Record<string, string>,
  { port: requestedPort, app = "remix" }: { port?: number; app?: ServedApp } = {},
): Promise<PagesDev> {
  const server = SERVERS[app];
  const port = requestedPort ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), "pages-dev-"));
  const state = join(scratch, "state");
  await migrateLocalD1(state, server.cwd).catch((error: unknown) => {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  });
  const child = spawn(
    "npx",
    ["wrangler", ...server.args(port, state, bindings), "--show-interactive-dev-session=false"],
    {
      cwd: server.cwd,
      env: quietWranglerEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await killGroup(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(origin, child);
  } catch (error) {
    await stop();
    throw new Error(`wrangler (${app}) did not start: ${String(error)}\n${output}`);
  }
  return { origin, output: () => output, stop };
}

async function waitUntilServing(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}/robots.txt`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("timed out");
}
