import { getAuth } from "clerk-edge-auth/react-router";
import type { Route } from "./+types/auth.clerk.callback";

export async function loader(args: Route.LoaderArgs) {
  return getAuth(args).finishLogin();
}
