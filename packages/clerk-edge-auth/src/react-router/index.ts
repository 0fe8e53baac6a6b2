import { createContext, type MiddlewareFunction, RouterContextProvider } from "react-router";
import { type Auth, createAuth } from "../auth/auth.server.js";
import type { AuthContext } from "../auth/request-state.server.js";
import type { AppConfig } from "../config/config.server.js";
import type { Env } from "../env.js";
import { handleEdgeRequest } from "../http/edge-handler.server.js";

/** Where this request's auth context lives in React Router's context. */
export const authContext = createContext<AuthContext>();

function authContextFor(
  request: Request,
  config: AppConfig,
  waitUntil: (work: Promise<unknown>) => void,
): AuthContext {
  // A Worker's incoming request carries Cloudflare's facts; the Request type also covers outgoing ones.
  return { config, waitUntil, cf: request.cf as IncomingRequestCfProperties | undefined };
}

/**
 * The auth service for a loader or action: `getAuth(args).requireUser()`, `getToken()`, ….
 * @throws {Error} when the request did not pass through `createAuthFetch` or `authMiddleware`.
 */
export function getAuth({
  request,
  context,
}: {
  request: Request;
  context: Readonly<RouterContextProvider>;
}): Auth {
  let auth: AuthContext;
  try {
    auth = context.get(authContext);
  } catch {
    throw new Error(
      "No auth context: wrap the Worker's fetch in createAuthFetch(...) or add authMiddleware() to the root route's middleware",
    );
  }
  return createAuth(request, auth);
}

/** What a Worker's fetch receives besides the request. */
export interface WorkerRequestContext<E> {
  env: E;
  ctx: ExecutionContext;
}

/**
 * The Worker's `fetch` for `workers/app.ts`: refuses cross-origin posts, checks the bindings,
 * hands React Router a context that holds this request's auth (add your own values to it in
 * `handle`), and adds the security headers to every answer.
 */
export function createAuthFetch<E extends Env>(
  handle: (
    request: Request,
    context: RouterContextProvider,
    cloudflare: WorkerRequestContext<E>,
  ) => Promise<Response>,
): (request: Request, env: E, ctx: ExecutionContext) => Promise<Response> {
  return (request, env, ctx) =>
    handleEdgeRequest(request, env, (config) => {
      const context = new RouterContextProvider();
      context.set(
        authContext,
        authContextFor(request, config, (work) => ctx.waitUntil(work)),
      );
      return handle(request, context, { env, ctx });
    });
}

/**
 * The same as `createAuthFetch`, as a root-route middleware for a Worker whose fetch hands React
 * Router no context (create-cloudflare's template): the bindings come from `cloudflare:workers`.
 */
export function authMiddleware(): MiddlewareFunction<Response> {
  return async ({ request, context }, next) => {
    const { env, waitUntil } = await import("cloudflare:workers");
    return handleEdgeRequest(request, env as Env, (config) => {
      context.set(authContext, authContextFor(request, config, waitUntil));
      return next();
    });
  };
}
