import { defineConfig } from "vitest/config";

// Tests read the emulator's sources (its built copy is what the dev server and its command run).
const alias = {
  "~": new URL("./app", import.meta.url).pathname,
  "clerk-oauth-emulator": new URL("./packages/clerk-oauth-emulator/src/index.ts", import.meta.url)
    .pathname,
};

// Three layers: fast unit tests in Node; integration tests that run the built Pages bundle in
// workerd (Miniflare, real KV and D1) against the Clerk emulator over real HTTP; browser tests in
// Chromium. The integration and browser layers need `node scripts/build-test.mjs` first
// (`npm test`, `npm run test:integration` and `npm run test:e2e` do it).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          setupFiles: ["test/support/console-guard.ts"],
          include: ["test/unit/**/*.test.ts", "packages/*/test/**/*.test.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          setupFiles: ["test/support/console-guard.ts"],
          env: { CONSOLE_GUARD_SETTLE_MS: "50" },
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // The same behaviour tests against the React Router example's Worker; the files that
          // test the Remix app's own bundles and deploy targets, or the emulator alone, run once.
          name: "integration-react-router",
          environment: "node",
          setupFiles: ["test/support/console-guard.ts"],
          env: { CONSOLE_GUARD_SETTLE_MS: "50", APP_UNDER_TEST: "react-router" },
          include: ["test/integration/**/*.test.ts"],
          exclude: [
            "test/integration/bundle-budget.test.ts",
            "test/integration/clerk-emulator-*.test.ts",
            "test/integration/deploy-targets.test.ts",
          ],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // The package packed and installed into fresh minimal apps (slow: two npm installs).
          name: "package",
          environment: "node",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
