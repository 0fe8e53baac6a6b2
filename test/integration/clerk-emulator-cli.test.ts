import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, expect, it } from "vitest";

let child: ChildProcess | undefined;

/** npx → tsx → node is a process tree, so signals go to the group we created, by its id. */
function signalGroup(signal: NodeJS.Signals): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has already exited.
  }
}

function waitFor<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

afterEach(() => {
  signalGroup("SIGKILL");
  child = undefined;
});

it("the installed clerk-oauth-emulator command starts, prints its URL and users, and stops cleanly on SIGTERM", async () => {
  child = spawn("npx", ["clerk-oauth-emulator", "--port", "0", "--access-token-ttl", "60"], {
    cwd: new URL("../..", import.meta.url).pathname,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const allClosed = new Promise<void>((resolve) => child?.on("close", () => resolve()));
  const origin = await waitFor(
    new Promise<string>((resolve) => {
      child?.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^Clerk emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
        if (match?.[1] && output.includes("alan@example.com")) resolve(match[1]);
      });
    }),
    15_000,
    "the listening line",
  );
  expect(output).toContain("Ada Lovelace <ada@example.com>");
  expect(output).toContain("Grace Hopper <grace@example.com>");

  const metadata = await fetch(`${origin}/.well-known/openid-configuration`);
  expect(((await metadata.json()) as { issuer: string }).issuer).toBe(origin);

  signalGroup("SIGTERM");
  await waitFor(allClosed, 10_000, "the emulator to exit");
  expect(output).toContain("Clerk emulator stopped");
  await expect(fetch(`${origin}/.well-known/openid-configuration`)).rejects.toThrow();
}, 30_000);

it("refuses a webhook URL without its secret, and a secret that is not whsec_", async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      child = spawn("npx", ["clerk-oauth-emulator", "--port", "0", ...args], {
        cwd: new URL("../..", import.meta.url).pathname,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("close", (code) => resolve({ code, output }));
    });
  const url = "http://127.0.0.1:8788/webhooks/clerk";
  const alone = await waitFor(run(["--webhook-url", url]), 15_000, "the emulator to refuse");
  expect(alone.code).toBe(2);
  expect(alone.output).toContain("--webhook-url and --webhook-secret go together");
  const bad = await waitFor(
    run(["--webhook-url", url, "--webhook-secret", "not-a-secret"]),
    15_000,
    "the emulator to refuse",
  );
  expect(bad.code).toBe(1);
  expect(bad.output).toContain("whsec_");
}, 40_000);
