import { afterEach, beforeEach } from "vitest";

// Fails any test that writes to console.error without saying it expects to: a failure the app
// logs but the test never looked at is a failure hidden. A test that expects errors either spies
// on console.error itself (vi.spyOn replaces this recorder while it is active) or calls
// `expectConsoleErrors()`.
const unexpected: unknown[][] = [];
let allowed = false;
const original = console.error;

/** Declares that the running test expects console.error output. */
export function expectConsoleErrors(): void {
  allowed = true;
}

beforeEach(() => {
  unexpected.length = 0;
  allowed = false;
  console.error = (...args: unknown[]) => {
    unexpected.push(args);
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  if (!allowed && unexpected.length > 0) {
    const first = unexpected[0]?.map(String).join(" ") ?? "";
    throw new Error(
      `The test wrote ${unexpected.length} unexpected console.error line(s), the first: ${first.slice(0, 300)}`,
    );
  }
});
