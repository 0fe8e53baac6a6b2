export type Metadata = Record<string, unknown>;

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface EmulatorEmailAddress {
  id: string;
  emailAddress: string;
  verified: boolean;
}

export interface EmulatorUser {
  id: string;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  emailAddresses: EmulatorEmailAddress[];
  primaryEmailAddressId: string | null;
  imageUrl: string;
  publicMetadata: Metadata;
  privateMetadata: Metadata;
  unsafeMetadata: Metadata;
  banned: boolean;
  locked: boolean;
  lastSignInAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ClerkEmulatorOptions {
  clients?: EmulatorClient[];
  secretKey?: string;
  users?: EmulatorUser[];
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  issueRefreshTokens?: boolean;
  now?: () => number;
  instanceId?: string;
}

export type FaultEndpoint = "authorize" | "token" | "userinfo" | "revoke" | "backend";

export type StatusFault = { kind: "status"; status: number; body?: unknown };
export type MalformedJsonFault = { kind: "malformed-json" };
export type DelayFault = { kind: "delay"; ms: number };
export type InvalidGrantFault = { kind: "invalid-grant" };
export type WrongStateFault = { kind: "wrong-state" };
export type CommonFault = StatusFault | MalformedJsonFault | DelayFault;
export type Fault = CommonFault | InvalidGrantFault | WrongStateFault;

/** Endpoint-specific faults only make sense where that protocol step exists. */
export type FaultFor<E extends FaultEndpoint> = E extends "authorize"
  ? CommonFault | WrongStateFault
  : E extends "token"
    ? CommonFault | InvalidGrantFault
    : CommonFault;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
}

export interface ApproveParams {
  clientId?: string;
  redirectUri: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scope?: string;
  nonce?: string;
  userId?: string;
}

export interface EmulatorSettingsPatch {
  accessTokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
}

export interface ClerkEmulator {
  fetch(request: Request): Promise<Response>;
  fail<E extends FaultEndpoint>(
    endpoint: E,
    fault: FaultFor<E>,
    options?: { times?: number },
  ): void;
  reset(): void;
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  getUser(id: string): EmulatorUser | undefined;
  listUsers(): EmulatorUser[];
  configure(partial: EmulatorSettingsPatch): void;
  approve(params: ApproveParams): string;
  tokenIssuedCount(): number;
  lastApiVersion(): string | null;
}
