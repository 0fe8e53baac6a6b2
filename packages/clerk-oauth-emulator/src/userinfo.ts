/** `GET /oauth/userinfo` and `POST /oauth/token/revoke`: what an access token shows and ends. */
import { authenticateClient, clerkError, jsonResponse, oauthError, readOAuthForm } from "./http";
import { grantedOrganization } from "./organization-grant";
import type { EmulatorOrganization } from "./organization-types";
import type { EmulatorContext, EmulatorUser } from "./types";
import { fullName, primaryEmail } from "./user-store";

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
  const organization = grantedOrganization(context, record);
  const claims = userInfoClaims(user, record.scope, context.settings.instanceId, organization);
  return jsonResponse(200, claims, { "cache-control": "no-store" });
}

/** Clerk's OAuth.UserInfo: every claim key is always present and null when its scope is missing. */
export function userInfoClaims(
  user: EmulatorUser,
  scope: readonly string[],
  instanceId: string,
  organization?: EmulatorOrganization,
) {
  const email = scope.includes("email") ? primaryEmail(user) : undefined;
  const profile = scope.includes("profile");
  const publicScope = scope.includes("public_metadata");
  return {
    object: "oauth_user_info",
    instance_id: instanceId,
    user_id: user.id,
    sub: user.id,
    email: email?.emailAddress ?? null,
    email_verified: email ? email.verified : null,
    given_name: profile ? user.firstName : null,
    family_name: profile ? user.lastName : null,
    name: profile ? fullName(user) : null,
    preferred_username: profile ? user.username : null,
    username: profile ? user.username : null,
    picture: profile ? user.imageUrl : null,
    public_metadata: publicScope ? user.publicMetadata : null,
    unsafe_metadata: publicScope ? user.unsafeMetadata : null,
    private_metadata: scope.includes("private_metadata") ? user.privateMetadata : null,
    org_id: organization?.id ?? null,
    org_name: organization?.name ?? null,
    org_slug: organization?.slug ?? null,
  };
}

/** The OIDC subset that goes into an id_token, leaving out claims the scope did not grant. */
export function idTokenProfileClaims(user: EmulatorUser, scope: readonly string[]) {
  const claims = userInfoClaims(user, scope, "");
  const picked = {
    email: claims.email,
    email_verified: claims.email_verified,
    given_name: claims.given_name,
    family_name: claims.family_name,
    name: claims.name,
    preferred_username: claims.preferred_username,
    picture: claims.picture,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== null));
}

/**
 * RFC 7009: unknown tokens and tokens of other clients get the same empty 200, so the
 * endpoint cannot be used to probe which tokens exist.
 */
export async function handleRevoke(context: EmulatorContext, request: Request) {
  const form = await readOAuthForm(request);
  if (form instanceof Response) return form;
  const client = authenticateClient(context, request, form);
  if (client instanceof Response) return client;
  const token = form.get("token");
  if (!token) return oauthError(400, "invalid_request", "token is required.");

  const access = context.grants.findAccessToken(token);
  if (access?.clientId === client.clientId) access.revoked = true;
  const refresh = context.grants.findRefreshToken(token);
  if (refresh?.clientId === client.clientId) context.grants.revokeGrant(refresh.grantId);
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
}
