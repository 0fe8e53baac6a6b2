import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { createSessionStore } from "~/session/session-store.server";
import { handleClerkWebhook } from "~/webhooks/clerk-webhook.server";

/** Clerk calls this endpoint server to server: no cookie, no Origin, a signature instead. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  const { config } = context;
  const store = createSessionStore({
    config,
    waitUntil: (work) => context.cloudflare.ctx.waitUntil(work),
  });
  return handleClerkWebhook({ request, config, store });
}

export function loader() {
  return methodNotAllowed();
}

function methodNotAllowed(): Response {
  return new Response("Clerk delivers webhooks here with POST.", {
    status: 405,
    headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" },
  });
}
