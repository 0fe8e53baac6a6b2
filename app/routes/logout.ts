import { type ActionFunctionArgs, redirect } from "@remix-run/cloudflare";
import { getAuth } from "clerk-edge-auth/remix";

export async function action(args: ActionFunctionArgs) {
  return getAuth(args).logout();
}

export async function loader() {
  return redirect("/");
}
