import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME } from "clerk-edge-auth";
import { DEFAULT_CLIENT, SEED_USERS } from "clerk-oauth-emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import { emulatorBindings } from "../support/bindings";
import { findChromium, launchChromium } from "../support/browser";
import { freePort, type PagesDev, type ServedApp, startPagesDev } from "../support/pages-dev";

const ADA = SEED_USERS[0] as (typeof SEED_USERS)[0];
const SCREENSHOTS = new URL("../../test-output/e2e/", import.meta.url).pathname;
const chromiumPath = findChromium();

if (!chromiumPath) {
  const message =
    "Browser test SKIPPED: Debian's Chromium is not installed (apt-get install -y chromium).";
  if (process.env.E2E_REQUIRED) throw new Error(`${message} E2E_REQUIRED is set, so this fails.`);
  console.warn(message);
}

// The same walk through both apps: the Remix app on wrangler pages dev, the React Router example
// on wrangler dev.
const APPS: [ServedApp, string][] = [
  ["remix", "the Remix app on wrangler pages dev"],
  ["react-router", "the React Router example on wrangler dev"],
];

describe.skipIf(!chromiumPath).each(APPS)(
  "in a real browser (Chromium, %s: %s, Clerk emulator)",
  (served) => {
    let clerk: RunningClerkEmulator;
    let app: PagesDev;
    let browser: Browser;
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const port = await freePort();
      clerk = await startClerkEmulator({
        clients: [
          { ...DEFAULT_CLIENT, redirectUris: [`http://127.0.0.1:${port}/auth/clerk/callback`] },
        ],
      });
      app = await startPagesDev(emulatorBindings(clerk.origin), { port, app: served });
      browser = await launchChromium(chromiumPath ?? "");
    });

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      await clerk?.close();
    });

    beforeEach(async () => {
      const context = await browser.newContext();
      page = await context.newPage();
      problems = [];
      // A CSP violation or a script error shows up here: the page must run clean.
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
    });

    const shot = (name: string) =>
      page.screenshot({ path: join(SCREENSHOTS, `${served}-${name}.png`), fullPage: true });

    it("sign in from /private, see it, edit the name, sign out from the user menu", async () => {
      await page.goto(`${app.origin}/private`);
      expect(page.url()).toContain(`${clerk.origin}/oauth/authorize`);
      await shot("01-clerk-sign-in");

      await page.getByRole("button", { name: /Continue as Ada Lovelace/ }).click();
      await page.waitForURL(`${app.origin}/private`);
      await expect.poll(() => page.getByTestId("user-id").textContent()).toBe(ADA.id);
      await expect
        .poll(() => page.getByTestId("user-email").textContent())
        .toContain("ada@example.com");
      await shot("02-private");

      await page.reload();
      expect(await page.getByTestId("user-id").textContent()).toBe(ADA.id);

      await page.goto(`${app.origin}/profile`);
      await page.getByLabel("First name").fill("Augusta Ada");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Saved.").waitFor();
      await shot("03-profile-saved");
      await page.goto(`${app.origin}/private`);
      expect(await page.getByTestId("user-name").textContent()).toBe("Augusta Ada Lovelace");

      await page.locator(".user-menu summary").click();
      await shot("04-user-menu");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${app.origin}/`);
      await page
        .getByRole("link", { name: /Sign in/ })
        .first()
        .waitFor();
      await shot("05-signed-out");
      const cookies = await page.context().cookies(app.origin);
      expect(cookies.find((cookie) => cookie.name === SESSION_COOKIE_NAME.http)).toBeUndefined();

      await page.goto(`${app.origin}/private`);
      expect(page.url()).toContain(`${clerk.origin}/oauth/authorize`);
      expect(problems).toEqual([]);
    });

    it("the client-side hooks: <RedirectToSignIn> round trip, useAuth() state and signOut()", async () => {
      const grace = SEED_USERS[1] as (typeof SEED_USERS)[0];
      await page.goto(`${app.origin}/examples/auth-components`);
      await page.waitForURL(`${clerk.origin}/oauth/authorize**`);
      await page.getByRole("button", { name: /Continue as Grace Hopper/ }).click();
      await page.waitForURL(`${app.origin}/examples/auth-components`);
      expect(await page.getByTestId("hook-user-id").textContent()).toBe(grace.id);
      await shot("07-hooks");
      await page.getByRole("button", { name: "Sign out with useAuth().signOut()" }).click();
      await page.waitForURL(`${app.origin}/`);
      await page.getByRole("link", { name: /Sign in with Clerk/ }).waitFor();
      expect(problems).toEqual([]);
    });

    it("denying consent shows the sign-in error page", async () => {
      await page.goto(`${app.origin}/`);
      await page.getByRole("link", { name: /Sign in with Clerk/ }).click();
      await page.getByRole("button", { name: "Deny" }).click();
      await page.waitForURL(/\/auth\/error\?code=provider_denied$/);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "Sign-in was cancelled",
      );
      await page.getByRole("link", { name: "Try again" }).waitFor();
      await shot("06-denied");
      expect(problems).toEqual([]);
    });
  },
);
