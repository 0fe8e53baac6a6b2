import type { FaultRegistry } from "./faults";
import type { GrantStore } from "./grant-store";
import type { IdTokenSigner } from "./id-token";
import type { UserStore } from "./user-store";
import type { EmulatorClient, WebhookDelivery, WebhookTarget } from "./types";

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
  grants: GrantStore;
  faults: FaultRegistry;
  idTokens: IdTokenSigner;
  apiVersions: { last: string | null };
  webhooks: { target: WebhookTarget | null; deliveries: WebhookDelivery[] };
}
