// Long enough for any real path and query, short enough to keep the flow cookie small. It caps
// the normalised, percent-encoded result: `/€` is 2 characters in but 10 out.
const MAX_REDIRECT_LENGTH = 2048;
// Never resolvable, so a value that changes origin cannot be mistaken for ours.
const DUMMY_ORIGIN = "https://app.invalid";
// Percent-decoding more rounds than this means someone is nesting encodings on purpose.
const MAX_DECODE_ROUNDS = 3;

// RFC 9700 §4.11: a single leading slash, then no backslash (browsers read `\` as `/`) and no
// ASCII control character (browsers strip tab and newline, turning `/\t/evil` into `//evil`).
function isPlainPath(value: string): boolean {
  return (
    value.startsWith("/") &&
    !value.startsWith("//") &&
    !value.includes("\\") &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
    !/[\u0000-\u001f\u007f]/.test(value)
  );
}

// Every percent-decoding of the value must also be a plain path, so `/%2F%2Fevil.com`,
// `/%5Cevil.com` and `/%09/evil.com` fail even if some later hop decodes them.
function hasOnlyPlainDecodings(value: string): boolean {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    if (!isPlainPath(decoded)) return false;
    current = decoded;
  }
  return false;
}

/**
 * Returns `to` as a normalised same-origin path (path, query and hash) when it is safe to
 * redirect to, and `fallback` otherwise (RFC 9700 §4.11, open redirects).
 */
export function safeRedirect(to: unknown, fallback = "/private"): string {
  if (typeof to !== "string" || to.length > MAX_REDIRECT_LENGTH) return fallback;
  if (!isPlainPath(to) || !hasOnlyPlainDecodings(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, DUMMY_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== DUMMY_ORIGIN) return fallback;
  // Dot segments can collapse into a protocol-relative path: `/..//evil.com` becomes `//evil.com`.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isPlainPath(path) && path.length <= MAX_REDIRECT_LENGTH ? path : fallback;
}
