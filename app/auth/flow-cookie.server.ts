import { createCookie } from "@remix-run/cloudflare";
import { isRecord } from "~/utils/is-record";

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
   * The Set-Cookie header that stores this attempt in its own cookie.
   * @throws {TypeError} if `flow.state` is not a state this module could have issued.
   */
  commit(request: Request, flow: Flow): Promise<string>;
  /**
   * The attempt named by `state`; "missing" when the browser holds no readable cookie for it,
   * "mismatch" when its cookie belongs to another state or only other attempts exist.
   * Never throws.
   */
  read(request: Request, state: string): Promise<Flow | "missing" | "mismatch">;
  /** The expiring Set-Cookie header for the attempt named by `state`; null for a malformed state. */
  clear(request: Request, state: string): Promise<string | null>;
}

export interface FlowCookieStoreOptions {
  /** The first secret signs; every secret verifies, so secrets can rotate. */
  secrets: string[];
  now?: () => number;
}

/** Clerk's authorization code lives 10 minutes, so an attempt older than that cannot finish. */
export const FLOW_COOKIE_MAX_AGE_SECONDS = 600;
export const FLOW_COOKIE_PREFIX = "__clerk_flow_";
// 16 base64url characters are 96 bits: unique per attempt, short enough to keep names small.
const NAME_STATE_CHARS = 16;
// States are issued as base64url; anything else in the callback's `state` is not ours.
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

function isFlowState(state: string): boolean {
  return STATE_PATTERN.test(state);
}

function flowCookieName(state: string): string {
  return `${FLOW_COOKIE_PREFIX}${state.slice(0, NAME_STATE_CHARS)}`;
}

function flowCookieNames(request: Request): string[] {
  const header = request.headers.get("Cookie") ?? "";
  return header
    .split(";")
    .map((pair) => pair.split("=", 1)[0]?.trim() ?? "")
    .filter((name) => name.startsWith(FLOW_COOKIE_PREFIX));
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

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/**
 * Signed, per-attempt cookies holding state, PKCE verifier and redirect target, so two tabs can
 * sign in at once and nothing is written to KV for anonymous visitors. HttpOnly and
 * SameSite=Lax: Lax still sends the cookie on the top-level GET back from Clerk.
 * @throws {RangeError} when `secrets` is empty, because an unsigned flow cookie could be forged.
 */
export function createFlowCookieStore(options: FlowCookieStoreOptions): FlowCookieStore {
  const { secrets, now = Date.now } = options;
  if (secrets.length === 0) throw new RangeError("The flow cookie needs at least one secret");

  const cookieFor = (state: string) =>
    createCookie(flowCookieName(state), {
      secrets,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: FLOW_COOKIE_MAX_AGE_SECONDS,
    });

  async function parse(request: Request, state: string): Promise<unknown> {
    try {
      return await cookieFor(state).parse(request.headers.get("Cookie"));
    } catch {
      // A mangled signature makes the cookie library throw; unreadable means absent.
      return null;
    }
  }

  return {
    commit(request, flow) {
      return cookieFor(flow.state).serialize(flow, { secure: isSecure(request) });
    },

    async read(request, state) {
      const names = flowCookieNames(request);
      if (!isFlowState(state) || !names.includes(flowCookieName(state))) {
        return names.length > 0 ? "mismatch" : "missing";
      }
      const flow = await parse(request, state);
      if (!isFlow(flow)) return "missing";
      // The browser drops the cookie at Max-Age; a replayed copy must not outlive it either.
      if (now() - flow.createdAt > FLOW_COOKIE_MAX_AGE_SECONDS * 1000) return "missing";
      return timingSafeEqual(flow.state, state) ? flow : "mismatch";
    },

    async clear(request, state) {
      if (!isFlowState(state)) return null;
      return cookieFor(state).serialize("", {
        secure: isSecure(request),
        maxAge: 0,
        expires: new Date(0),
      });
    },
  };
}
