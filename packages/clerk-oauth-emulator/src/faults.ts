import { clerkErrors, oauthError } from "./http";
import type { Fault, FaultEndpoint, StatusFault } from "./types";

interface ActiveFault {
  endpoint: FaultEndpoint;
  fault: Fault;
  remaining: number;
}

const ALLOWED_KINDS: Record<FaultEndpoint, readonly Fault["kind"][]> = {
  authorize: ["status", "malformed-json", "delay", "wrong-state"],
  token: ["status", "malformed-json", "delay", "invalid-grant"],
  userinfo: ["status", "malformed-json", "delay"],
  revoke: ["status", "malformed-json", "delay"],
  backend: ["status", "malformed-json", "delay"],
  organizations: ["status", "malformed-json", "delay"],
};

function isResponseStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599;
}

export interface FaultRegistry {
  add(endpoint: FaultEndpoint, fault: Fault, times?: number): void;
  /** Faults on one endpoint apply in the order they were added; a request uses at most one. */
  take<K extends Fault["kind"]>(
    endpoint: FaultEndpoint,
    kinds: readonly K[],
  ): Extract<Fault, { kind: K }> | undefined;
  clear(): void;
}

export function createFaultRegistry(): FaultRegistry {
  const active: ActiveFault[] = [];
  return {
    add(endpoint, fault, times = Number.POSITIVE_INFINITY) {
      // Runtime checks too, because JavaScript callers and `as` casts bypass FaultFor<E>.
      if (!ALLOWED_KINDS[endpoint]?.includes(fault.kind)) {
        throw new TypeError(`Fault "${fault.kind}" does not apply to endpoint "${endpoint}"`);
      }
      if (fault.kind === "status" && !isResponseStatus(fault.status)) {
        throw new RangeError("A status fault needs an integer status from 200 to 599");
      }
      if (!(times > 0)) throw new RangeError("times must be a positive number");
      active.push({ endpoint, fault, remaining: times });
    },
    take<K extends Fault["kind"]>(endpoint: FaultEndpoint, kinds: readonly K[]) {
      const isWanted = (fault: Fault): fault is Extract<Fault, { kind: K }> =>
        (kinds as readonly Fault["kind"][]).includes(fault.kind);
      const index = active.findIndex((f) => f.endpoint === endpoint && isWanted(f.fault));
      const found = active[index];
      if (!found || !isWanted(found.fault)) return undefined;
      found.remaining--;
      if (found.remaining <= 0) active.splice(index, 1);
      return found.fault;
    },
    clear() {
      active.length = 0;
    },
  };
}

function defaultStatusBody(endpoint: FaultEndpoint, status: number): unknown {
  const description = `Emulated fault: HTTP ${status}`;
  if (endpoint === "token" || endpoint === "revoke") {
    const error =
      status === 401 ? "invalid_client" : status >= 500 ? "server_error" : "invalid_request";
    return { error, error_description: description };
  }
  const code =
    status === 401
      ? "authentication_invalid"
      : status === 404
        ? "resource_not_found"
        : status === 429
          ? "too_many_requests"
          : status >= 500
            ? "internal_clerk_error"
            : "bad_request";
  return { errors: [{ message: description, long_message: description, code }] };
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function statusFaultResponse(endpoint: FaultEndpoint, fault: StatusFault): Response {
  const { status } = fault;
  const headers = new Headers(status === 429 ? { "retry-after": "1" } : {});
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value);
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers });
  const payload = fault.body === undefined ? defaultStatusBody(endpoint, status) : fault.body;
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(payload), { status, headers });
}

/** Resolves false when the caller hung up first, so an abandoned request does no work. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Returns a response that replaces the real one, or undefined to carry on normally
 * (after the delay, for a delay fault).
 */
export async function applyEntryFault(
  faults: FaultRegistry,
  endpoint: FaultEndpoint,
  request: Request,
): Promise<Response | undefined> {
  const fault = faults.take(endpoint, ["status", "malformed-json", "delay", "invalid-grant"]);
  if (!fault) return undefined;
  switch (fault.kind) {
    case "status":
      return statusFaultResponse(endpoint, fault);
    case "malformed-json":
      return new Response('{"access_token": "oat_trunc', {
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    case "invalid-grant":
      return oauthError(400, "invalid_grant", "Emulated fault: the grant is invalid.");
    case "delay":
      if (await sleep(fault.ms, request.signal)) return undefined;
      return clerkErrors(503, [
        { message: "aborted", long_message: "The client went away.", code: "request_aborted" },
      ]);
  }
}
