import type { AppConfig, AuthBindings } from "clerk-edge-auth";
import { authLoadContext } from "clerk-edge-auth/remix";

/** What Cloudflare hands both entries for one request. */
export interface CloudflareContext {
  env: AuthBindings;
  ctx: Pick<ExecutionContext, "waitUntil" | "passThroughOnException">;
  cf: IncomingRequestCfProperties | undefined;
}

declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    cloudflare: CloudflareContext;
  }
}

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * Builds the load context both entries hand to Remix: Cloudflare's own values, and the auth
 * context with the bindings the edge handler checked for this request.
 */
export function createLoadContext(cloudflare: CloudflareContext, config: AppConfig) {
  return { cloudflare, ...authLoadContext(cloudflare, config) };
}
