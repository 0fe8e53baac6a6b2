/**
 * Short, human names for where a session was started, shown in the device list. Read once at
 * sign-in and stored with the session, so a list costs no parsing. Hand-written rather than a
 * full User-Agent parser: the list needs browser family and OS only, and the parsers that know
 * more are large or carry a copyleft licence.
 */

/** Browser families, most specific first: Edge, Opera and Samsung Internet also say "Chrome". */
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\/|\bHeadlessChrome\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\/|\bMobile\/\w+ Safari\//, "Safari"],
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

function firstMatch(text: string, table: ReadonlyArray<readonly [RegExp, string]>): string | null {
  for (const [pattern, name] of table) if (pattern.test(text)) return name;
  return null;
}

/** "Chrome on macOS", "Firefox on Windows", "Safari on iOS"; "Unknown browser" when nothing is known. */
export function describeDevice(userAgent: string | null): string {
  const text = userAgent ?? "";
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
