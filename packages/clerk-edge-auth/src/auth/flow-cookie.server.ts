import { createSignedCookie } from "../session/signed-cookie.server.js";
import { isRecord } from "../utils/is-record.js";
import { isHttps } from "../utils/request-facts.js";

/** One login attempt, kept in the browser between the start redirect and the callback. */
export interface Flow {
  state: string;
  verifier: string;
  redirectTo: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface FlowCookieStore {
  /**
   * The Set-Cookie headers that store this attempt in its own cookie and expire the oldest
   * pending attempts beyond the cap. A `redirectTo` that would push the cookie past the size
   * browsers keep is replaced by the store's fallback.
   * @throws {TypeError} if `flow.state` is not a state this module could have issued.
   */
  commit(request: Request, flow: Flow): Promise<string[]>;
  /**
   * The attempt named by `state`; "missing" when the browser holds no readable cookie for it,
   * "mismatch" when its cookie belongs to another state or only other attempts exist.
   * Never throws.
   */
  read(request: Request, state: string): Promise<Flow | "missing" | "mismatch">;
  /**
   * Expiring Set-Cookie headers: for the attempt named by `state` (none for a malformed state),
   * or, with "all", for every flow cookie the request carries (up to a few: see
   * MAX_FLOW_COOKIES_READ).
   */
  clear(request: Request, which: { state: string | null } | "all"): Promise<string[]>;
}

export interface FlowCookieStoreOptions {
  /** The first secret signs; every secret verifies, so secrets can rotate. */
  secrets: string[];
  now?: () => number;
  /** Stored instead of a `redirectTo` too long for the cookie. Default `/private`. */
  fallbackRedirectTo?: string;
}

/** Clerk's authorization code lives 10 minutes, so an attempt older than that cannot finish. */
const FLOW_COOKIE_MAX_AGE_SECONDS = 600;
export const FLOW_COOKIE_PREFIX = "__clerk_flow_";
/** Over https: a `__Host-` cookie cannot be planted by a sibling subdomain (no Domain, Secure). */
export const SECURE_FLOW_COOKIE_PREFIX = "__Host-clerk_flow_";
/** Pending attempts one browser keeps; starting another drops the oldest. */
const MAX_PENDING_FLOWS = 3;
/**
 * The most flow cookies one request reads or expires. A browser holds at most MAX_PENDING_FLOWS
 * of ours; a header stuffed with more (by a sibling host over http, or by hand) costs a signature
 * check and an expiring Set-Cookie each, so the rest are left alone: every start trims a few more.
 */
const MAX_FLOW_COOKIES_READ = 2 * MAX_PENDING_FLOWS;
/** Browsers drop a cookie whose name and value exceed 4,096 bytes; no header of ours gets near. */
const MAX_SET_COOKIE_BYTES = 4096;
// 16 base64url characters are 96 bits: unique per attempt, short enough to keep names small.
const NAME_STATE_CHARS = 16;
// States are issued as base64url; anything else in the callback's `state` is not ours.
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

function isFlowState(state: string): boolean {
  return STATE_PATTERN.test(state);
}

function prefixFor(request: Request): string {
  return isHttps(request) ? SECURE_FLOW_COOKIE_PREFIX : FLOW_COOKIE_PREFIX;
}

function flowCookieName(request: Request, state: string): string {
  return `${prefixFor(request)}${state.slice(0, NAME_STATE_CHARS)}`;
}

/**
 * The flow cookies the request carries under these prefixes, name to value as sent (the first of
 * a repeated name, as cookie parsers keep it), read in one pass over the Cookie header.
 */
function flowCookies(request: Request, prefixes: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of (request.headers.get("Cookie") ?? "").split(";")) {
    const equals = pair.indexOf("=");
    if (equals === -1) continue;
    const name = pair.slice(0, equals).trim();
    if (found.has(name) || !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    found.set(name, pair.slice(equals + 1).trim());
  }
  return found;
}

/** The first MAX_FLOW_COOKIES_READ names, the only ones a request reads or expires. */
function firstNames(cookies: Map<string, string>): string[] {
  return [...cookies.keys()].slice(0, MAX_FLOW_COOKIES_READ);
}

function isFlow(value: unknown): value is Flow {
  if (!isRecord(value)) return false;
  const { state, verifier, redirectTo, createdAt } = value;
  return (
    typeof state === "string" &&
    typeof verifier === "string" &&
    typeof redirectTo === "string" &&
    typeof createdAt === "number" &&
    Number.isFinite(createdAt)
  );
}

// Compares without an early exit, so response timing does not reveal how much of a guessed
// state matched (RFC 9700 §4.7 asks for an exact, unguessable state).
function timingSafeEqual(a: string, b: string): boolean {
  // Lengths are not secret: every state we issue has the same length.
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) {
    difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  }
  return difference === 0;
}

/**
 * Signed, per-attempt cookies holding state, PKCE verifier and redirect target, so two tabs can
 * sign in at once and nothing is written to KV for anonymous visitors. HttpOnly and
 * SameSite=Lax: Lax still sends the cookie on the top-level GET back from Clerk.
 * @throws {RangeError} when `secrets` is empty, because an unsigned flow cookie could be forged.
 */
export function createFlowCookieStore(options: FlowCookieStoreOptions): FlowCookieStore {
  const { secrets, now = Date.now, fallbackRedirectTo = "/private" } = options;
  if (secrets.length === 0) throw new RangeError("The flow cookie needs at least one secret");

  const cookieNamed = (name: string) =>
    createSignedCookie(name, {
      secrets,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: FLOW_COOKIE_MAX_AGE_SECONDS,
      // A `__Host-` cookie without Secure is refused by the browser, even when it expires one.
      secure: name.startsWith(SECURE_FLOW_COOKIE_PREFIX),
    });

  // Each value is checked on its own, so N cookies cost N signature checks, not N header parses.
  async function parse(cookies: Map<string, string>, name: string): Promise<unknown> {
    const sent = cookies.get(name);
    if (sent === undefined) return null;
    try {
      return await cookieNamed(name).parse(`${name}=${sent}`);
    } catch {
      // A mangled signature makes the cookie library throw; unreadable means absent.
      return null;
    }
  }

  function expire(request: Request, name: string): Promise<string> {
    return cookieNamed(name).serialize("", {
      secure: isHttps(request) || name.startsWith(SECURE_FLOW_COOKIE_PREFIX),
      maxAge: 0,
      expires: new Date(0),
    });
  }

  // Unreadable cookies count as the oldest, so they go first.
  async function oldestPending(request: Request, keep: number): Promise<string[]> {
    const cookies = flowCookies(request, [prefixFor(request)]);
    const dated = await Promise.all(
      firstNames(cookies).map(async (name) => {
        const flow = await parse(cookies, name);
        return { name, createdAt: isFlow(flow) ? flow.createdAt : Number.NEGATIVE_INFINITY };
      }),
    );
    dated.sort((a, b) => b.createdAt - a.createdAt);
    return dated.slice(keep).map(({ name }) => name);
  }

  return {
    async commit(request, flow) {
      const name = flowCookieName(request, flow.state);
      const secure = isHttps(request);
      let setCookie = await cookieNamed(name).serialize(flow, { secure });
      if (setCookie.length > MAX_SET_COOKIE_BYTES) {
        const fallback = { ...flow, redirectTo: fallbackRedirectTo };
        setCookie = await cookieNamed(name).serialize(fallback, { secure });
      }
      const dropped = await oldestPending(request, MAX_PENDING_FLOWS - 1);
      const expired = await Promise.all(dropped.map((old) => expire(request, old)));
      return [...expired, setCookie];
    },

    async read(request, state) {
      const cookies = flowCookies(request, [prefixFor(request)]);
      const name = flowCookieName(request, state);
      if (!isFlowState(state) || !cookies.has(name)) {
        return cookies.size > 0 ? "mismatch" : "missing";
      }
      const flow = await parse(cookies, name);
      if (!isFlow(flow)) return "missing";
      // The browser drops the cookie at Max-Age; a replayed copy must not outlive it either.
      if (now() - flow.createdAt > FLOW_COOKIE_MAX_AGE_SECONDS * 1000) return "missing";
      return timingSafeEqual(flow.state, state) ? flow : "mismatch";
    },

    clear(request, which) {
      if (which === "all") {
        const cookies = flowCookies(request, [FLOW_COOKIE_PREFIX, SECURE_FLOW_COOKIE_PREFIX]);
        return Promise.all(firstNames(cookies).map((name) => expire(request, name)));
      }
      const { state } = which;
      if (state === null || !isFlowState(state)) return Promise.resolve([]);
      return Promise.all([expire(request, flowCookieName(request, state))]);
    },
  };
}
