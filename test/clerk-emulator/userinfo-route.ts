import type { EmulatorContext } from "./context";
import { clerkError, jsonResponse } from "./responses";
import { userInfoClaims } from "./userinfo-claims";

function unauthorized(longMessage: string): Response {
  const response = clerkError(401, "authentication_invalid", "Invalid authentication", longMessage);
  response.headers.set("www-authenticate", 'Bearer error="invalid_token"');
  return response;
}

export function handleUserInfo(context: EmulatorContext, request: Request): Response {
  if (request.method !== "GET" && request.method !== "POST") {
    return clerkError(405, "method_not_allowed", "method not allowed", "Use GET or POST.");
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match?.[1]) return unauthorized("Send the access token as Authorization: Bearer <token>.");
  const record = context.grants.findAccessToken(match[1]);
  if (!record || record.revoked) return unauthorized("The access token is invalid or revoked.");
  if (context.settings.now() >= record.expiresAt) {
    return unauthorized("The access token has expired.");
  }
  const user = context.users.get(record.userId);
  if (!user) return unauthorized("The user of this access token no longer exists.");
  return jsonResponse(200, userInfoClaims(user, record.scope, context.settings.instanceId), {
    "cache-control": "no-store",
  });
}
