import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;
const READY_TIMEOUT_MS = 60_000;
const GROUP_EXIT_TIMEOUT_MS = 5_000;

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

/** Every binding of CONTRACT.md: each is passed, empty when unset, so .dev.vars cannot fill one in. */
const CONTRACT_BINDINGS = [
  "SESSION_SECRET",
  "CLERK_DOMAIN",
  "CLERK_CLIENT_ID",
  "CLERK_CLIENT_SECRET",
  "CLERK_CALLBACK_URL",
  "CLERK_SCOPES",
  "CLERK_SECRET_KEY",
  "CLERK_API_URL",
];

/**
 * `wrangler pages dev` on the built app, on 127.0.0.1 and a free port, with its own KV folder and
 * exactly these bindings (a developer's .dev.vars never leaks in).
 */
export async function startPagesDev(
  bindings: Record<string, string>,
  { port: requestedPort }: { port?: number } = {},
): Promise<PagesDev> {
  const port = requestedPort ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), "pages-dev-"));
  const bindingArgs = CONTRACT_BINDINGS.flatMap((name) => [
    "--binding",
    `${name}=${bindings[name] ?? ""}`,
  ]);
  const child = spawn(
    "npx",
    [
      "wrangler",
      "pages",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      join(scratch, "state"),
      ...bindingArgs,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
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
    throw new Error(`wrangler pages dev did not start: ${String(error)}\n${output}`);
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

/** Stops npx, wrangler and workerd together: they share the process group started above. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  if (!signal(group, "SIGTERM")) return;
  // npx exits before wrangler and workerd have stopped: wait for the whole group, not the child.
  const deadline = Date.now() + GROUP_EXIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!signal(group, 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal(group, "SIGKILL");
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signal(group: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group, name);
    return true;
  } catch {
    return false;
  }
}
