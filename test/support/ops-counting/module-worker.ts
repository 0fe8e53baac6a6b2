// Test-only entry around a built module Worker (the React Router example's build/server/index.js):
// the same instruments as the Pages middleware beside it, for the same tests and the benchmark.
// scripts/build-test.mjs bundles it next to a copy of that build; it never ships.
// @ts-expect-error: the built Worker, placed beside this entry by the test build.
import worker from "./index.js";
import { instrumentD1, instrumentEndpoint, instrumentKv } from "./instrument";

interface Bindings {
  SESSION_KV: KVNamespace;
  SESSION_DB?: D1Database;
}

const instrumented = (env: Bindings): Bindings => ({
  ...env,
  SESSION_KV: instrumentKv(env.SESSION_KV),
  ...(env.SESSION_DB ? { SESSION_DB: instrumentD1(env.SESSION_DB) } : {}),
});

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const answered = await instrumentEndpoint(request);
    if (answered) return answered;
    return (worker as ExportedHandler<Bindings>).fetch?.(
      request as Parameters<ExportedHandlerFetchHandler<Bindings>>[0],
      instrumented(env),
      ctx,
    ) as Promise<Response>;
  },
  async scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext) {
    await (worker as ExportedHandler<Bindings>).scheduled?.(controller, instrumented(env), ctx);
  },
};
