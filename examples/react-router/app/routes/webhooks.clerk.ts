import { getAuth } from "clerk-edge-auth/react-router";
import type { Route } from "./+types/webhooks.clerk";

/** Clerk calls this endpoint server to server: no cookie, no Origin, a signature instead. */
export async function action(args: Route.ActionArgs) {
  return getAuth(args).handleClerkWebhook();
}

export async function loader(args: Route.LoaderArgs) {
  return getAuth(args).handleClerkWebhook();
}
