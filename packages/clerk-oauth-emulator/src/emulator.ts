import { ADMIN_PATH, handleAdmin } from "./admin-page";
import { approveAuthorization, handleAuthorize } from "./authorize";
import { handleBackendApi } from "./backend-api-routes";
import { applyEntryFault, createFaultRegistry } from "./faults";
import { createGrantStore } from "./grants";
import { notFound, recordRequest } from "./http";
import { organizationControls } from "./organization-changes";
import { isOrganizationPath } from "./organization-routes";
import { createOrganizationStore } from "./organization-store";
import { SEED_USERS } from "./seed-users";
import { handleToken } from "./token";
import type {
  ClerkEmulator,
  ClerkEmulatorOptions,
  EmulatorClient,
  EmulatorContext,
  EmulatorSettings,
  EmulatorSettingsPatch,
  FaultEndpoint,
  RecordedRequest,
} from "./types";
import { createUserStore } from "./user-store";
import { handleRevoke, handleUserInfo } from "./userinfo";
import { announce, checkedTarget, deleteUser, updateUser, userUpdatedEvent } from "./webhooks";
import { createIdTokenSigner, handleWellKnown } from "./well-known";

export { SEED_USERS } from "./seed-users";
export * from "./seed-organizations";
export type * from "./organization-types";
export type * from "./types";

export const DEFAULT_CLIENT: Readonly<EmulatorClient> = Object.freeze({
  clientId: "emulator_client_id",
  clientSecret: "emulator_client_secret",
  redirectUris: Object.freeze([
    "http://127.0.0.1:8788/auth/clerk/callback",
    "http://localhost:8788/auth/clerk/callback",
  ]) as string[],
});

export const DEFAULT_SECRET_KEY = "sk_test_emulator";

/** The endpoint a path belongs to; organization reads are part of the Backend API. */
function endpointFor(path: string): Exclude<FaultEndpoint, "organizations"> | undefined {
  if (path === "/oauth/authorize") return "authorize";
  if (path === "/oauth/token") return "token";
  if (path === "/oauth/token/revoke") return "revoke";
  if (path === "/oauth/userinfo") return "userinfo";
  if (path.startsWith("/v1/")) return "backend";
  return undefined;
}

/** An organization read can fail on its own or with the rest of the Backend API. */
function faultEndpointsFor(path: string): FaultEndpoint[] {
  const endpoint = endpointFor(path);
  if (endpoint === "backend" && isOrganizationPath(path)) return ["organizations", "backend"];
  return endpoint ? [endpoint] : [];
}

function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be positive`);
}

/** Misconfiguration fails at construction, not as a puzzling OAuth error mid-test. */
function buildSettings(options: ClerkEmulatorOptions): EmulatorSettings {
  const clients = (options.clients ?? [DEFAULT_CLIENT]).map((client) => ({
    ...client,
    redirectUris: [...client.redirectUris],
  }));
  if (clients.length === 0) throw new RangeError("At least one client is required");
  for (const uri of clients.flatMap((client) => client.redirectUris)) {
    if (uri.includes("#")) throw new RangeError(`A redirect URI cannot have a fragment: ${uri}`);
  }
  const settings: EmulatorSettings = {
    clients,
    secretKey: options.secretKey ?? DEFAULT_SECRET_KEY,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86400,
    codeTtlSeconds: options.codeTtlSeconds ?? 600,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    issueRefreshTokens: options.issueRefreshTokens ?? true,
    now: options.now ?? Date.now,
    instanceId: options.instanceId ?? "ins_emulator",
  };
  assertPositive("accessTokenTtlSeconds", settings.accessTokenTtlSeconds);
  assertPositive("codeTtlSeconds", settings.codeTtlSeconds);
  return settings;
}

/**
 * Clerk announces a Backend API edit (such as a new name from the app's profile page) with
 * `user.updated`, after answering the call and independently of it.
 */
async function announceBackendEdit(context: EmulatorContext, request: Request, response: Response) {
  if (request.method !== "PATCH" || !response.ok) return response;
  const { id } = (await response.clone().json()) as { id: string };
  const user = context.users.get(id);
  if (user) void announce(context, userUpdatedEvent(user));
  return response;
}

async function route(context: EmulatorContext, request: Request, url: URL): Promise<Response> {
  for (const faultEndpoint of faultEndpointsFor(url.pathname)) {
    const faulted = await applyEntryFault(context.faults, faultEndpoint, request);
    if (faulted) return faulted;
  }
  switch (endpointFor(url.pathname)) {
    case "authorize":
      return handleAuthorize(context, request, url);
    case "token":
      return handleToken(context, request, url);
    case "revoke":
      return handleRevoke(context, request);
    case "userinfo":
      return handleUserInfo(context, request);
    case "backend":
      return announceBackendEdit(context, request, await handleBackendApi(context, request, url));
    case undefined:
      if (url.pathname === ADMIN_PATH) return handleAdmin(context, request, url);
      return (await handleWellKnown(context, request, url)) ?? notFound(url.pathname);
  }
}

export function createClerkEmulator(options: ClerkEmulatorOptions = {}): ClerkEmulator {
  const users = createUserStore(options.users ?? SEED_USERS);
  const context: EmulatorContext = {
    settings: buildSettings(options),
    users,
    organizations: createOrganizationStore(
      options,
      users.list().map((user) => user.id),
    ),
    grants: createGrantStore(),
    faults: createFaultRegistry(),
    idTokens: createIdTokenSigner(),
    apiVersions: { last: null },
    webhooks: { target: checkedTarget(options.webhooks) ?? null, deliveries: [] },
  };
  const requests: RecordedRequest[] = [];

  return {
    async fetch(request) {
      const url = new URL(request.url);
      requests.push(await recordRequest(request, url));
      return route(context, request, url);
    },
    fail(endpoint, fault, failOptions) {
      context.faults.add(endpoint, fault, failOptions?.times);
    },
    reset() {
      context.faults.clear();
    },
    requests,
    clearRequests() {
      requests.length = 0;
    },
    getUser(id) {
      const user = context.users.get(id);
      return user && structuredClone(user);
    },
    listUsers: () => structuredClone(context.users.list()),
    configure(patch: EmulatorSettingsPatch) {
      if (patch.accessTokenTtlSeconds !== undefined) {
        assertPositive("accessTokenTtlSeconds", patch.accessTokenTtlSeconds);
        context.settings.accessTokenTtlSeconds = patch.accessTokenTtlSeconds;
      }
      if (patch.rotateRefreshTokens !== undefined) {
        context.settings.rotateRefreshTokens = patch.rotateRefreshTokens;
      }
      if (patch.webhooks !== undefined) context.webhooks.target = checkedTarget(patch.webhooks);
    },
    approve: (params) => approveAuthorization(context, params),
    tokenIssuedCount: () => context.grants.issuedCount(),
    lastApiVersion: () => context.apiVersions.last,
    updateUser: (id, patch) => updateUser(context, id, patch),
    deleteUser: (id) => deleteUser(context, id),
    webhookDeliveries: context.webhooks.deliveries,
    ...organizationControls(context),
  };
}
