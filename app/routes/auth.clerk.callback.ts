import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getAuth } from "clerk-edge-auth/remix";

export async function loader(args: LoaderFunctionArgs) {
  return getAuth(args).finishLogin();
}
