import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

// The strategy runs in workerd, where Node built-ins are absent or need compatibility flags.
const STRATEGY_SOURCES = [
  "app/auth/auth-error.ts",
  "app/auth/clerk-profile.ts",
  "app/auth/clerk-strategy.server.ts",
  "app/auth/clerk-tokens.ts",
  "app/auth/flow-cookie.server.ts",
  "app/auth/oauth-client.server.ts",
  "app/auth/pkce.server.ts",
  "app/auth/provider-response.server.ts",
  "app/auth/clerk-strategy-options.server.ts",
  "app/auth/token-response.server.ts",
  "app/utils/base64url.ts",
  "app/utils/is-record.ts",
  "app/utils/safe-redirect.ts",
];

const NODE_ONLY = [
  ["a node: import", /["']node:/],
  ["require()", /\brequire\s*\(/],
  ["process", /\bprocess\b/],
  ["Buffer", /\bBuffer\b/],
] as const;

describe("strategy sources", () => {
  test.each(STRATEGY_SOURCES)("%s uses only web-standard APIs", (path) => {
    const source = readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
    for (const [label, pattern] of NODE_ONLY) {
      expect(pattern.test(source), `${path} contains ${label}`).toBe(false);
    }
  });
});
