import type { AppConfig } from "~/config/config.server";
import type { Env } from "~/env";

/** What every loader and action receives as `context`, on Pages and on Workers alike. */
export interface CloudflareContext {
  env: Env;
  ctx: Pick<ExecutionContext, "waitUntil" | "passThroughOnException">;
  cf: IncomingRequestCfProperties | undefined;
}

declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    cloudflare: CloudflareContext;
    /** The bindings, checked once for this request by the edge handler before Remix runs. */
    config: AppConfig;
  }
}

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** Builds the load context both entries hand to Remix. */
export function createLoadContext(
  cloudflare: CloudflareContext,
  config: AppConfig,
): { cloudflare: CloudflareContext; config: AppConfig } {
  return { cloudflare, config };
}
