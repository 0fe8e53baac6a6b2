/** The emulator's public types, and the context every endpoint handler shares. */
import type { FaultRegistry } from "./faults";
import type { GrantStore } from "./grants";
import type { OrganizationStore } from "./organization-store";
import type { EmulatorOrganizationControls, OrganizationOptions } from "./organization-types";
import type { UserStore } from "./user-store";
import type { IdTokenSigner } from "./well-known";

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

export interface ClerkEmulatorOptions extends OrganizationOptions {
  clients?: EmulatorClient[];
  secretKey?: string;
  users?: EmulatorUser[];
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  issueRefreshTokens?: boolean;
  now?: () => number;
  instanceId?: string;
  /** Where and how user changes are announced, as a Clerk webhook endpoint would receive them. */
  webhooks?: WebhookTarget;
}

export interface WebhookTarget {
  /** The app's endpoint, e.g. http://127.0.0.1:8788/webhooks/clerk. */
  url: string;
  /** The endpoint's signing secret, `whsec_` followed by base64. */
  secret: string;
  /** Sends the signed request; the global fetch by default (tests pass an in-process app). */
  fetch?: (request: Request) => Promise<Response>;
}

/** One attempt to deliver an event: the app's status, or the network error. */
export interface WebhookDelivery {
  id: string;
  type: string;
  status: number | null;
  error: string | null;
}

/** A change to a test user made as Clerk's dashboard would make it. */
export interface EmulatorUserPatch {
  firstName?: string | null;
  lastName?: string | null;
  banned?: boolean;
  locked?: boolean;
}

/** `backend` covers the whole Backend API; `organizations` only its organization reads. */
export type FaultEndpoint =
  | "authorize"
  | "token"
  | "userinfo"
  | "revoke"
  | "backend"
  | "organizations";

/** A 429 carries `Retry-After: 1` unless `headers` says otherwise, as Clerk always sends one. */
export type StatusFault = {
  kind: "status";
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};
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
  /** The organization picked on the consent screen; needs `user:org:read` and a membership. */
  orgId?: string;
}

export interface EmulatorSettingsPatch {
  accessTokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  /** null stops deliveries. */
  webhooks?: WebhookTarget | null;
}

export interface ClerkEmulator extends EmulatorOrganizationControls {
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
  /**
   * Changes a user and, when webhooks are configured, delivers `user.updated` before resolving
   * (null: no webhook target). Banning or locking also revokes the user's OAuth tokens.
   * @throws {Error} for an unknown user id.
   */
  updateUser(id: string, patch: EmulatorUserPatch): Promise<WebhookDelivery | null>;
  /** Deletes a user, revokes their OAuth tokens and delivers `user.deleted`, as updateUser does. */
  deleteUser(id: string): Promise<WebhookDelivery | null>;
  /** Every delivery attempt so far, oldest first. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
}

export interface EmulatorSettings {
  clients: EmulatorClient[];
  secretKey: string;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  rotateRefreshTokens: boolean;
  issueRefreshTokens: boolean;
  now: () => number;
  instanceId: string;
}

/** Everything a route handler may read or change, shared by one emulator instance. */
export interface EmulatorContext {
  settings: EmulatorSettings;
  users: UserStore;
  organizations: OrganizationStore;
  grants: GrantStore;
  faults: FaultRegistry;
  idTokens: IdTokenSigner;
  apiVersions: { last: string | null };
  webhooks: { target: WebhookTarget | null; deliveries: WebhookDelivery[] };
}
