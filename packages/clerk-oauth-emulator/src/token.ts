/** `POST /oauth/token`: the authorization_code and refresh_token grants and their answers. */
import { verifierMatchesChallenge } from "./authorize-request";
import { authenticateClient, noStoreJson, oauthError, randomBase62, readOAuthForm } from "./http";
import { grantedOrganization } from "./organization-grant";
import type { EmulatorClient, EmulatorContext } from "./types";
import { idTokenProfileClaims } from "./userinfo";

async function exchangeCode(
  context: EmulatorContext,
  client: EmulatorClient,
  form: URLSearchParams,
  issuer: string,
): Promise<Response> {
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (!code) return oauthError(400, "invalid_request", "code is required.");
  if (!redirectUri) return oauthError(400, "invalid_request", "redirect_uri is required.");

  const record = context.grants.findCode(code);
  if (!record || record.clientId !== client.clientId) {
    return oauthError(401, "invalid_grant", "The authorization code is invalid.");
  }
  if (record.used) {
    // RFC 6749 §4.1.2: a replayed code suggests theft, so what it already bought is withdrawn.
    context.grants.revokeGrant(record.grantId);
    return oauthError(400, "invalid_grant", "The authorization code was already used.");
  }
  // Consumed on first presentation, even if it fails below, so a code cannot be probed.
  record.used = true;
  if (context.settings.now() >= record.expiresAt) {
    return oauthError(401, "invalid_grant", "The authorization code has expired.");
  }
  if (redirectUri !== record.redirectUri) {
    return oauthError(400, "invalid_grant", "redirect_uri does not match the authorize request.");
  }
  const verifier = form.get("code_verifier");
  if (record.codeChallenge !== undefined) {
    if (verifier === null) return oauthError(401, "invalid_grant", "code_verifier is required.");
    if (!(await verifierMatchesChallenge(verifier, record.codeChallenge))) {
      return oauthError(401, "invalid_grant", "code_verifier does not match the code_challenge.");
    }
  } else if (verifier !== null) {
    // RFC 9700 §2.1.1: accepting a verifier without a challenge would allow a PKCE downgrade.
    return oauthError(401, "invalid_grant", "code_verifier sent but no code_challenge was.");
  }

  return tokenResponse(context, {
    clientId: client.clientId,
    userId: record.userId,
    grantId: record.grantId,
    grantedScope: record.scope,
    accessScope: record.scope,
    issuer,
    withRefreshToken: context.settings.issueRefreshTokens,
    nonce: record.nonce,
    orgId: record.orgId,
  });
}

async function refresh(
  context: EmulatorContext,
  client: EmulatorClient,
  form: URLSearchParams,
  issuer: string,
): Promise<Response> {
  const token = form.get("refresh_token");
  if (!token) return oauthError(400, "invalid_request", "refresh_token is required.");
  const record = context.grants.findRefreshToken(token);
  if (!record || record.clientId !== client.clientId) {
    return oauthError(401, "invalid_grant", "The refresh token is invalid.");
  }
  if (record.revoked) return oauthError(400, "invalid_grant", "The refresh token was revoked.");

  const requested = (form.get("scope") ?? "").split(" ").filter(Boolean);
  const widened = requested.filter((scope) => !record.scope.includes(scope));
  if (widened.length > 0) {
    return oauthError(400, "invalid_scope", `Not in the original grant: ${widened.join(" ")}.`);
  }
  const rotate = context.settings.rotateRefreshTokens;
  if (rotate) record.revoked = true;
  return tokenResponse(context, {
    clientId: client.clientId,
    userId: record.userId,
    grantId: record.grantId,
    grantedScope: record.scope,
    accessScope: requested.length > 0 ? [...new Set(requested)] : record.scope,
    issuer,
    // Without rotation the client keeps using the refresh token it already has.
    withRefreshToken: rotate,
    orgId: record.orgId,
  });
}

export async function handleToken(context: EmulatorContext, request: Request, url: URL) {
  const form = await readOAuthForm(request);
  if (form instanceof Response) return form;
  const client = authenticateClient(context, request, form);
  if (client instanceof Response) return client;

  const grantType = form.get("grant_type");
  if (!grantType) return oauthError(400, "invalid_request", "grant_type is required.");
  if (grantType === "authorization_code") return exchangeCode(context, client, form, url.origin);
  if (grantType === "refresh_token") return refresh(context, client, form, url.origin);
  return oauthError(400, "unsupported_grant_type", `grant_type ${grantType} is not supported.`);
}

export interface TokenGrant {
  clientId: string;
  userId: string;
  grantId: string;
  grantedScope: string[];
  accessScope: string[];
  issuer: string;
  withRefreshToken: boolean;
  nonce?: string;
  orgId?: string;
}

const ID_TOKEN_TTL_SECONDS = 86400;

/** Clerk's id_token names the picked organization in `org_id`, and nothing else about it. */
function orgClaim(context: EmulatorContext, grant: Parameters<typeof grantedOrganization>[1]) {
  const organization = grantedOrganization(context, grant);
  return organization ? { org_id: organization.id } : {};
}

export async function tokenResponse(context: EmulatorContext, grant: TokenGrant) {
  const { settings } = context;
  const now = settings.now();
  const ttl = settings.accessTokenTtlSeconds;
  const tokens = context.grants.issueTokens({ ...grant, accessExpiresAt: now + ttl * 1000 });
  const body: Record<string, unknown> = {
    access_token: tokens.accessToken,
    token_type: "Bearer",
    expires_in: ttl,
    scope: grant.accessScope.join(" "),
  };
  if (tokens.refreshToken) body.refresh_token = tokens.refreshToken;
  const user = context.users.get(grant.userId);
  if (user && grant.accessScope.includes("openid")) {
    const iat = Math.floor(now / 1000);
    body.id_token = await context.idTokens.sign({
      iss: grant.issuer,
      sub: user.id,
      aud: grant.clientId,
      iat,
      exp: iat + ID_TOKEN_TTL_SECONDS,
      jti: randomBase62(24),
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...idTokenProfileClaims(user, grant.accessScope),
      ...orgClaim(context, { ...grant, scope: grant.accessScope }),
    });
  }
  return noStoreJson(200, body);
}
