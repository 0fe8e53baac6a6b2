import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT } from "clerk-oauth-emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import { createWebhookSecret } from "clerk-oauth-emulator";
import { emulatorBindings } from "../support/bindings";
import { findChromium, launchChromium, signInWithChromium } from "../support/browser";
import { freePort, type PagesDev, type ServedApp, startPagesDev } from "../support/pages-dev";

const chromiumPath = findChromium();

const APPS: ServedApp[] = ["remix", "react-router"];

describe.skipIf(!chromiumPath).each(APPS)(
  "ending sessions in a real browser (Chromium, the %s app, Clerk emulator with webhooks)",
  (served) => {
    let clerk: RunningClerkEmulator;
    let app: PagesDev;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    /** Script errors and CSP violations on the app's pages: a page must run clean. */
    const problems: string[] = [];

    beforeAll(async () => {
      const port = await freePort();
      const secret = createWebhookSecret();
      clerk = await startClerkEmulator({
        clients: [
          { ...DEFAULT_CLIENT, redirectUris: [`http://127.0.0.1:${port}/auth/clerk/callback`] },
        ],
        webhooks: { url: `http://127.0.0.1:${port}/webhooks/clerk`, secret },
      });
      app = await startPagesDev(
        { ...emulatorBindings(clerk.origin), CLERK_WEBHOOK_SIGNING_SECRET: secret },
        { port, app: served },
      );
      browser = await launchChromium(chromiumPath ?? "");
    });

    afterAll(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await app?.stop();
      await clerk?.close();
    });

    /** A fresh browser profile (its own cookies) signed in as the named test user. */
    async function signedIn(name: string): Promise<Page> {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      await signInWithChromium(page, `${app.origin}/private`, name);
      return page;
    }

    /** Reloads /private: a signed-out browser is sent on to Clerk's sign-in page. */
    async function expectSignedOut(page: Page) {
      await page.goto(`${app.origin}/private`);
      expect(page.url()).toContain(`${clerk.origin}/oauth/authorize`);
    }

    it("ends the other browser's session from the device list, and that browser is signed out", async () => {
      const here = await signedIn("Ada Lovelace");
      const there = await signedIn("Ada Lovelace");

      await here.locator(".user-menu summary").click();
      await here.getByRole("link", { name: "Devices and sessions" }).click();
      await here.waitForURL(`${app.origin}/account/sessions`);
      const sessions = here.locator(".session-list > li");
      await expect.poll(() => sessions.count()).toBe(2);
      expect(await here.getByText("This browser").count()).toBe(1);

      await here
        .locator(".session-list")
        .getByRole("button", { name: /^Sign out/ })
        .click();
      await here.getByText("Signed out that session.").waitFor();
      await expect.poll(() => sessions.count()).toBe(1);

      await expectSignedOut(there);
      await here.goto(`${app.origin}/private`);
      expect(here.url()).toBe(`${app.origin}/private`);
      expect(problems).toEqual([]);
    });

    it("banning a user on the emulator's admin page ends their session", async () => {
      const grace = await signedIn("Grace Hopper");
      const admin = await (await browser.newContext()).newPage();
      contexts.push(admin.context());
      await admin.goto(`${clerk.origin}/__admin`);
      await admin.getByRole("button", { name: "Ban Grace Hopper" }).click();
      await admin
        .getByRole("status")
        .getByText(/webhook user\.updated answered 200/)
        .waitFor();

      await expectSignedOut(grace);
    });
  },
);
