import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT, SEED_USERS } from "clerk-oauth-emulator";
import { type RunningClerkEmulator, startClerkEmulator } from "clerk-oauth-emulator";
import { emulatorBindings } from "../support/bindings";
import { findChromium, launchChromium, signInWithChromium } from "../support/browser";
import { freePort, type PagesDev, type ServedApp, startPagesDev } from "../support/pages-dev";

const ADA = SEED_USERS[0] as (typeof SEED_USERS)[0];
const chromiumPath = findChromium();

const APPS: ServedApp[] = ["remix", "react-router"];

describe.skipIf(!chromiumPath).each(APPS)(
  "hardening in a real browser (Chromium, the %s app)",
  (served) => {
    let clerk: RunningClerkEmulator;
    let app: PagesDev;
    let browser: Browser;

    beforeAll(async () => {
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

    /** What of Ada a page shows: her id, email or name anywhere in the rendered text. */
    async function showsAda(page: Page): Promise<boolean> {
      const text = await page.locator("body").innerText();
      return [ADA.id, "ada@example.com", "Ada Lovelace"].some((value) => text.includes(value));
    }

    // With JavaScript off every step is a full document load, so Back is the browser's own
    // history navigation, which reuses any cached copy it may keep (`no-cache` does not stop that).
    it.each([
      ["JavaScript off", false],
      ["JavaScript on", true],
    ])(
      "%s: Back after sign-out shows no signed-in page from the browser's cache",
      async (_, javaScriptEnabled) => {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        try {
          await signInWithChromium(page, `${app.origin}/private`, "Ada Lovelace");
          expect(await showsAda(page)).toBe(true);
          await page.goto(`${app.origin}/examples/auth-components`);
          await page.goto(`${app.origin}/`);
          expect(await showsAda(page)).toBe(true);

          await page.locator(".user-menu summary").click();
          await page.getByRole("button", { name: "Sign out" }).click();
          await page.getByRole("link", { name: /Sign in with Clerk/ }).waitFor();
          expect(await showsAda(page)).toBe(false);

          for (const path of ["/", "/examples/auth-components", "/private"]) {
            await page.goBack({ waitUntil: "commit" });
            await page.waitForLoadState("networkidle");
            if (page.url().startsWith(app.origin)) {
              // With JavaScript on, Remix may replace the entry it signed out from, so the pages
              // Back reaches differ; every one of them must still show nobody.
              if (!javaScriptEnabled) expect(new URL(page.url()).pathname).toBe(path);
              expect(await showsAda(page), `Back to ${path} showed the signed-in page`).toBe(false);
            } else {
              // Signed out, /private sends the browser to Clerk's sign-in page again.
              expect(page.url()).toContain(`${clerk.origin}/oauth/authorize`);
            }
          }
        } finally {
          await context.close();
        }
      },
    );

    it("serves static files with Strict-Transport-Security from public/_headers", async () => {
      const response = await fetch(`${app.origin}/favicon.svg`);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(response.headers.get("Strict-Transport-Security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    });
  },
);
