/**
 * Short, human names for where a session was started, shown in the device list. Read once at
 * sign-in and stored with the session, so a list costs no parsing. Hand-written rather than a
 * full User-Agent parser: the list needs browser family and OS only, and the parsers that know
 * more are large or carry a copyleft licence.
 *
 * The header is the sender's to choose: every pattern here matches a fixed token at a fixed place
 * (no `.*` between two tokens, no nested repetition), so the work is linear in the header, and
 * only its first MAX_USER_AGENT_CHARS are read at all.
 */

/** Real User-Agents stay well under this; what lies beyond it names nothing a list needs. */
export const MAX_USER_AGENT_CHARS = 1024;

/**
 * Browser families, most specific first: Edge, Opera and Samsung Internet also say "Chrome". An
 * entry matches when every one of its patterns does (Safari: a `Version/` and a `Safari/` token).
 */
const BROWSERS: ReadonlyArray<readonly [RegExp | readonly RegExp[], string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\/|\bHeadlessChrome\/|\bChromium\//, "Chrome"],
  [[/\bVersion\/\d/, /\bSafari\//], "Safari"],
  [/\bMobile\/\w+ Safari\//, "Safari"],
];

/** Systems, most specific first: iOS and Android also mention Mac OS X and Linux. */
const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

function firstMatch(
  text: string,
  table: ReadonlyArray<readonly [RegExp | readonly RegExp[], string]>,
): string | null {
  for (const [patterns, name] of table) {
    const all = Array.isArray(patterns) ? patterns : [patterns];
    if (all.every((pattern: RegExp) => pattern.test(text))) return name;
  }
  return null;
}

/** "Chrome on macOS", "Firefox on Windows", "Safari on iOS"; "Unknown browser" when nothing is known. */
export function describeDevice(userAgent: string | null): string {
  const text = (userAgent ?? "").slice(0, MAX_USER_AGENT_CHARS);
  const browser = firstMatch(text, BROWSERS);
  const system = firstMatch(text, SYSTEMS);
  if (browser && system) return `${browser} on ${system}`;
  if (system) return `Unknown browser on ${system}`;
  return browser ?? "Unknown browser";
}

/** "Berlin, DE" from Cloudflare's request metadata; the country alone without a city; else null. */
export function describePlace(cf: IncomingRequestCfProperties | undefined): string | null {
  const city = typeof cf?.city === "string" ? cf.city.trim() : "";
  const country = typeof cf?.country === "string" ? cf.country.trim() : "";
  if (city && country) return `${city}, ${country}`;
  return country || city || null;
}
