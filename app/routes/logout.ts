import { type ActionFunctionArgs, redirect } from "@remix-run/cloudflare";
import { getAuth } from "~/auth/auth.server";

export async function action(args: ActionFunctionArgs) {
  return getAuth(args).logout();
}

export async function loader() {
  return redirect("/");
}
