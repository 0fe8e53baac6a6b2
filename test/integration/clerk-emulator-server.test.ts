import { afterEach, beforeEach, expect, it } from "vitest";
import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import {
  type EmulatorUnderTest,
  signIn,
  userInfo,
} from "../../packages/clerk-oauth-emulator/test/support";

// What only the HTTP server adds to the in-process emulator: the socket, the Host header and
// aborting a request when its client hangs up.
let running: RunningClerkEmulator;
let overHttp: EmulatorUnderTest;

beforeEach(async () => {
  running = await startClerkEmulator();
  overHttp = { ...running, fetch };
});
afterEach(async () => {
  await running.close();
});

it("carries a whole code flow over HTTP: form posts, Basic auth and bearer calls", async () => {
  const { access_token } = await signIn(overHttp);
  const response = await userInfo(overHttp, access_token);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ email: "ada@example.com" });
});

it("builds the metadata from the Host the caller used", async () => {
  const port = new URL(running.origin).port;
  const response = await fetch(`http://localhost:${port}/.well-known/openid-configuration`);
  expect(((await response.json()) as { issuer: string }).issuer).toBe(`http://localhost:${port}`);
});

it("stops a delay when the caller hangs up, so close() does not hang", async () => {
  running.emulator.fail("userinfo", { kind: "delay", ms: 60_000 });
  const aborted = fetch(`${running.origin}/oauth/userinfo`, { signal: AbortSignal.timeout(100) });
  await expect(aborted).rejects.toThrow();
  const pending = fetch(`${running.origin}/oauth/userinfo`).catch(() => "closed");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  await running.close();
  expect(await pending).toBe("closed");
  expect(performance.now() - started).toBeLessThan(2_000);
  running = await startClerkEmulator();
});
