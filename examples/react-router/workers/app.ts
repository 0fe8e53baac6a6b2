import { type AuthBindings, pruneSessions } from "clerk-edge-auth";
import { createAuthFetch } from "clerk-edge-auth/react-router";
import { createRequestHandler } from "react-router";
import { cloudflareContext } from "../app/cloudflare";

const requestHandler = createRequestHandler(
  () => import("virtual:react-router/server-build"),
  import.meta.env.MODE,
);

// Every request goes through the auth edge: cross-origin posts refused, bindings checked, the
// auth context set, security headers added. Static files never reach this Worker.
export default {
  fetch: createAuthFetch<AuthBindings>((request, context, { env, ctx }) => {
    context.set(cloudflareContext, { env, ctx });
    return requestHandler(request, context);
  }),
  // The cron trigger in wrangler.jsonc: ended and expired sessions and old webhook ids go.
  async scheduled(_controller, env) {
    await pruneSessions(env);
  },
} satisfies ExportedHandler<AuthBindings>;
