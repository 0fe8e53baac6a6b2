import { ConfigError } from "../config/config-error.js";
import { type AppConfig, readConfig } from "../config/config.server.js";
import type { Env } from "../env.js";
import { configErrorResponse } from "./config-error-page.server.js";
import { rejectCrossOrigin } from "./origin-guard.server.js";
import { withResponseCookies } from "./response-cookies.server.js";
import { withSecurityHeaders } from "./security-headers.server.js";

/**
 * What both entries (Pages `functions/[[path]].ts` and Workers `worker.ts`) do around Remix:
 * refuse cross-origin posts, read the bindings once for this request, run Remix with them, and
 * add the cookies the auth service set for the answer (the session's idle clock) and the baseline
 * security headers.
 */
export async function handleEdgeRequest(
  request: Request,
  env: Env,
  run: (config: AppConfig) => Promise<Response>,
): Promise<Response> {
  const refused = rejectCrossOrigin(request);
  if (refused) return withSecurityHeaders(refused, request);
  let config: AppConfig;
  try {
    config = readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return withSecurityHeaders(configErrorResponse(error), request);
    throw error;
  }
  return withSecurityHeaders(withResponseCookies(await run(config), config), request);
}
