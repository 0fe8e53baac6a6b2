import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { getAuth } from "clerk-edge-auth/remix";

/** Clerk calls this endpoint server to server: no cookie, no Origin, a signature instead. */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed();
  return getAuth(args).handleClerkWebhook();
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
