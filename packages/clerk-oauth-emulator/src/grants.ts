/** Authorization codes, access tokens and refresh tokens, and their revocation. */
import { randomBase62 } from "./http";

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  scope: string[];
  userId: string;
  codeChallenge?: string;
  nonce?: string;
  /** The organization picked on the consent screen, kept for the whole grant. */
  orgId?: string;
}

export interface CodeRecord extends CodeGrant {
  grantId: string;
  expiresAt: number;
  used: boolean;
}

export interface AccessTokenRecord {
  clientId: string;
  userId: string;
  scope: string[];
  grantId: string;
  orgId?: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  /** The scope the user granted; a refresh may narrow the access token but never this. */
  scope: string[];
  grantId: string;
  orgId?: string;
  revoked: boolean;
}

export interface TokenIssue {
  clientId: string;
  userId: string;
  grantId: string;
  grantedScope: string[];
  accessScope: string[];
  accessExpiresAt: number;
  withRefreshToken: boolean;
  orgId?: string;
}

export interface GrantStore {
  issueCode(grant: CodeGrant, expiresAt: number): string;
  findCode(code: string): CodeRecord | undefined;
  issueTokens(issue: TokenIssue): { accessToken: string; refreshToken?: string };
  findAccessToken(token: string): AccessTokenRecord | undefined;
  findRefreshToken(token: string): RefreshTokenRecord | undefined;
  /** Kills every token descended from one authorization, as Clerk's revoke_token does. */
  revokeGrant(grantId: string): void;
  /** Every token of the user, as Clerk does when a user is deleted, banned or locked. */
  revokeUser(userId: string): void;
  issuedCount(): number;
}

export function createGrantStore(): GrantStore {
  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  let issued = 0;

  return {
    issueCode(grant, expiresAt) {
      const code = randomBase62(43);
      codes.set(code, { ...grant, grantId: randomBase62(16), expiresAt, used: false });
      return code;
    },
    findCode: (code) => codes.get(code),
    issueTokens(issue) {
      issued++;
      const accessToken = `oat_${randomBase62(32)}`;
      const { clientId, userId, grantId, orgId } = issue;
      accessTokens.set(accessToken, {
        clientId,
        userId,
        grantId,
        orgId,
        scope: issue.accessScope,
        expiresAt: issue.accessExpiresAt,
        revoked: false,
      });
      if (!issue.withRefreshToken) return { accessToken };
      const refreshToken = `ort_${randomBase62(32)}`;
      refreshTokens.set(refreshToken, {
        clientId,
        userId,
        grantId,
        orgId,
        scope: issue.grantedScope,
        revoked: false,
      });
      return { accessToken, refreshToken };
    },
    findAccessToken: (token) => accessTokens.get(token),
    findRefreshToken: (token) => refreshTokens.get(token),
    revokeGrant(grantId) {
      for (const record of [...accessTokens.values(), ...refreshTokens.values()]) {
        if (record.grantId === grantId) record.revoked = true;
      }
    },
    revokeUser(userId) {
      for (const record of [...accessTokens.values(), ...refreshTokens.values()]) {
        if (record.userId === userId) record.revoked = true;
      }
    },
    issuedCount: () => issued,
  };
}
