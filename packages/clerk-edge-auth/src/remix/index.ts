import { type Auth, createAuth } from "../auth/auth.server.js";
import type { AuthContext } from "../auth/request-state.server.js";
import type { AppConfig } from "../config/config.server.js";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** This request's auth context: put there by `authLoadContext` in your getLoadContext. */
    clerkAuth: AuthContext;
  }
}

/** What Cloudflare hands a Pages Function or a Worker for one request. */
export interface CloudflareRequestContext {
  ctx: Pick<ExecutionContext, "waitUntil">;
  cf?: IncomingRequestCfProperties | undefined;
}

/**
 * The load-context entry the auth service reads: spread it into what your getLoadContext returns,
 * with the config `handleEdgeRequest` checked for this request.
 */
export function authLoadContext(
  { ctx, cf }: CloudflareRequestContext,
  config: AppConfig,
): { clerkAuth: AuthContext } {
  return { clerkAuth: { config, waitUntil: (work) => ctx.waitUntil(work), cf } };
}

/**
 * The auth service for a loader or action: `getAuth(args).requireUser()`, `getToken()`, ….
 * @throws {Error} when the load context has no `clerkAuth` (getLoadContext does not add it).
 */
export function getAuth({
  request,
  context,
}: {
  request: Request;
  context: { clerkAuth?: AuthContext };
}): Auth {
  const auth = context.clerkAuth;
  if (!auth) {
    throw new Error(
      "The load context has no clerkAuth: spread authLoadContext(...) into what getLoadContext returns",
    );
  }
  return createAuth(request, auth);
}
