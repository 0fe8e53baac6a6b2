import type { EmulatorUser } from "./types";
import { fullName, primaryEmail } from "./user-store";

/** Clerk's OAuth.UserInfo: every claim key is always present and null when its scope is missing. */
export function userInfoClaims(user: EmulatorUser, scope: readonly string[], instanceId: string) {
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
    org_id: null,
    org_name: null,
    org_slug: null,
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
