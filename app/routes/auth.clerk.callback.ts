import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getAuth } from "~/auth/auth.server";

export async function loader(args: LoaderFunctionArgs) {
  return getAuth(args).finishLogin();
}
