import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Reads a .dev.vars file (dotenv syntax: KEY=value, # comments, optional quotes).
 * @returns {Record<string, string>}
 */
export function readDevVars(path = ".dev.vars") {
  return parseDevVars(readFileSync(path, "utf8"));
}

/** @param {string} text */
function parseDevVars(text) {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    vars[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

/**
 * The example's placeholder for a generated value. It is deliberately too short to pass as a
 * SESSION_SECRET, so a hand-copied example fails loudly instead of signing with a known string.
 */
export const PLACEHOLDER = "replace-me";

/** Values `npm run dev` generates for the local setup: random, never shared between machines. */
const GENERATED = {
  SESSION_SECRET: () => randomBytes(32).toString("hex"),
  CLERK_WEBHOOK_SIGNING_SECRET: () => `whsec_${randomBytes(32).toString("base64")}`,
};

/**
 * Creates .dev.vars from the example on first run, then fills in what `npm run dev` generates:
 * a random SESSION_SECRET wherever the placeholder (or nothing) stands, and, when the file points
 * at the local emulator, a random CLERK_WEBHOOK_SIGNING_SECRET if it has none (files written
 * before webhooks existed). A real Clerk instance's webhook secret comes from its dashboard, so
 * it is never made up. Returns what it did; the file is written only when something changed.
 * @returns {{ created: boolean, generated: string[] }}
 */
export function ensureDevVars(path = ".dev.vars", example = ".dev.vars.example") {
  const created = !existsSync(path);
  let text = readFileSync(created ? example : path, "utf8");
  const vars = parseDevVars(text);
  /** @type {string[]} */
  const generated = [];
  for (const [name, generate] of Object.entries(GENERATED)) {
    const value = vars[name];
    const wanted = name === "SESSION_SECRET" || emulatorPort(vars) !== null;
    if (!wanted || (value !== undefined && value !== "" && value !== PLACEHOLDER)) continue;
    const line = `${name}=${generate()}`;
    const existing = new RegExp(`^\\s*${name}\\s*=.*$`, "m");
    text = existing.test(text)
      ? text.replace(existing, line)
      : `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${line}\n`;
    generated.push(name);
  }
  if (created || generated.length) writeFileSync(path, text, { mode: 0o600 });
  return { created, generated };
}

/**
 * The emulator's port when CLERK_DOMAIN is a loopback origin (the emulator), else null.
 * @param {Record<string, string | undefined>} vars
 */
export function emulatorPort(vars) {
  try {
    const url = new URL(vars.CLERK_DOMAIN ?? "");
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return null;
    return Number(url.port || (url.protocol === "https:" ? 443 : 80));
  } catch {
    return null;
  }
}
