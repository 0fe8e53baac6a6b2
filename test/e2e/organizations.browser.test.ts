import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWebhookSecret,
  DEFAULT_CLIENT,
  type RunningClerkEmulator,
  startClerkEmulator,
} from "clerk-oauth-emulator";
import { emulatorBindings } from "../support/bindings";
import { findChromium, launchChromium } from "../support/browser";
import { freePort, type PagesDev, startPagesDev } from "../support/pages-dev";

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)(
  "organizations in a real browser (Chromium, wrangler pages dev, Clerk emulator with webhooks)",
  () => {
    let clerk: RunningClerkEmulator;
    let app: PagesDev;
    let browser: Browser;
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
        {
          ...emulatorBindings(clerk.origin),
          CLERK_WEBHOOK_SIGNING_SECRET: secret,
          CLERK_SCOPES: "openid profile email offline_access public_metadata user:org:read",
        },
        { port },
      );
      browser = await launchChromium(chromiumPath ?? "");
    });

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      await clerk?.close();
    });

    function watch(page: Page): Page {
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      return page;
    }

    it("signs in picking an organization, shows the role, switches, and loses access when demoted at Clerk", async () => {
      const page = watch(await (await browser.newContext()).newPage());
      await page.goto(`${app.origin}/org`);
      await page
        .getByLabel("Organization for Grace Hopper")
        .selectOption({ label: "Acme Corporation" });
      await page.getByRole("button", { name: "Continue as Grace Hopper" }).click();
      await page.waitForURL(`${app.origin}/org`);
      expect(await page.getByTestId("active-org").textContent()).toBe("Acme Corporation");
      expect(await page.getByTestId("org-role").textContent()).toBe("Billing manager");

      await page.getByRole("button", { name: "Switch to Globex" }).click();
      await expect.poll(() => page.getByTestId("active-org").textContent()).toBe("Globex");
      expect(await page.getByTestId("org-role").textContent()).toBe("Admin");
      await page.getByRole("link", { name: "Members of Globex" }).click();
      await page.waitForURL(`${app.origin}/org/members`);
      await page.getByRole("heading", { name: "Members of Globex" }).waitFor();

      const admin = await (await browser.newContext()).newPage();
      await admin.goto(`${clerk.origin}/__admin`);
      await admin
        .getByRole("combobox", { name: /^Role of Grace Hopper in Globex/ })
        .selectOption("org:member");
      await admin.getByRole("button", { name: "Change role of Grace Hopper in Globex" }).click();
      await admin.waitForLoadState();

      const members = await page.goto(`${app.origin}/org/members`);
      expect(members?.status()).toBe(403);
      expect(await page.getByRole("heading", { name: "Members of Globex" }).count()).toBe(0);
      await page.goto(`${app.origin}/org`);
      expect(await page.getByTestId("org-role").textContent()).toBe("Member");
      // The 403 page itself is the one failed load Chromium reports.
      const forbidden = /^Failed to load resource: .* 403 \(Forbidden\)$/;
      expect(problems.filter((problem) => !forbidden.test(problem))).toEqual([]);
    });
  },
);
