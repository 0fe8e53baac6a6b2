import { getAuth } from "clerk-edge-auth/react-router";
import type { Route } from "./+types/login";

export async function loader(args: Route.LoaderArgs) {
  return getAuth(args).login();
}
