import type { EmulatorContext } from "./context";
import { randomBase62 } from "./random";
import { noStoreJson } from "./responses";
import { idTokenProfileClaims } from "./userinfo-claims";

export interface TokenGrant {
  clientId: string;
  userId: string;
  grantId: string;
  grantedScope: string[];
  accessScope: string[];
  issuer: string;
  withRefreshToken: boolean;
  nonce?: string;
}

const ID_TOKEN_TTL_SECONDS = 86400;

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
    });
  }
  return noStoreJson(200, body);
}
