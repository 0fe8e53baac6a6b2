import { oauthError } from "./responses";

/** Token and revocation requests must be POSTed forms whose parameters appear once (RFC 6749 §3.2). */
export async function readOAuthForm(request: Request): Promise<URLSearchParams | Response> {
  if (request.method !== "POST") {
    return oauthError(405, "invalid_request", "Use POST.", { allow: "POST" });
  }
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return oauthError(400, "invalid_request", "Send application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(await request.text());
  const names = [...form.keys()];
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) {
    return oauthError(400, "invalid_request", `Repeated parameters: ${repeated.join(", ")}.`);
  }
  return form;
}
