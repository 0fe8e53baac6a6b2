import { getAuth } from "clerk-edge-auth/react-router";
import { redirect } from "react-router";
import type { Route } from "./+types/logout";

export async function action(args: Route.ActionArgs) {
  return getAuth(args).logout();
}

export async function loader() {
  return redirect("/");
}
