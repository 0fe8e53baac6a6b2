import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, type Page, chromium } from "playwright-core";

/**
 * Headless Debian Chromium as the tests run it: no sandbox (CI runs as root), and none of the
 * background services that would reach for the network during an offline test run.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Debian's Chromium if it is installed, else null: the browser test then says it skipped. */
export function findChromium(): string | null {
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` on the app signed out, picks `userName` on the emulator's sign-in page, and waits
 * until the browser is back on `url`, signed in.
 */
export async function signInWithChromium(page: Page, url: string, userName: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("button", { name: `Continue as ${userName}` }).click();
  await page.waitForURL(url);
}
