import { afterEach, beforeEach } from "vitest";

// Fails any test that writes to console.error without saying it expects to: a failure the app
// logs but the test never looked at is a failure hidden. A test that expects errors either spies
// on console.error itself (vi.spyOn replaces this recorder while it is active) or calls
// `expectConsoleErrors()`. Lines are held back while the test runs: an expected error stays quiet,
// an unexpected one is printed in full when the test fails.
const written: unknown[][] = [];
let allowed = false;
const original = console.error;
// Integration tests run the app in workerd, whose console output reaches this process a moment
// after the response: the check waits that long (set per project in vitest.config.ts).
const SETTLE_MS = Number(process.env.CONSOLE_GUARD_SETTLE_MS ?? 0);

/** Declares that the running test expects console.error output. */
export function expectConsoleErrors(): void {
  allowed = true;
}

beforeEach(() => {
  written.length = 0;
  allowed = false;
  console.error = (...args: unknown[]) => {
    written.push(args);
  };
});

afterEach(async () => {
  if (SETTLE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  console.error = original;
  if (!allowed && written.length > 0) {
    for (const args of written) original(...args);
    const first = written[0]?.map(String).join(" ") ?? "";
    throw new Error(
      `The test wrote ${written.length} unexpected console.error line(s), the first: ${first.slice(0, 300)}`,
    );
  }
});
