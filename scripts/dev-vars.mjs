import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Reads a .dev.vars file (dotenv syntax: KEY=value, # comments, optional quotes).
 * @returns {Record<string, string>}
 */
export function readDevVars(path = ".dev.vars") {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    vars[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

/** Creates .dev.vars from the example on first run, with a fresh random session secret. */
export function ensureDevVars(path = ".dev.vars", example = ".dev.vars.example") {
  if (existsSync(path)) return false;
  const secret = randomBytes(32).toString("hex");
  const text = readFileSync(example, "utf8").replace(
    /^SESSION_SECRET=.*$/m,
    `SESSION_SECRET=${secret}`,
  );
  writeFileSync(path, text, { mode: 0o600 });
  return true;
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
