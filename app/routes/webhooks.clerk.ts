import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getAuth } from "clerk-edge-auth/remix";

/** Clerk calls this endpoint server to server: no cookie, no Origin, a signature instead. */
export async function action(args: ActionFunctionArgs) {
  return getAuth(args).handleClerkWebhook();
}

export async function loader(args: LoaderFunctionArgs) {
  return getAuth(args).handleClerkWebhook();
}
