import type { AppConfig } from "../config/config.server.js";
import { createSessionStore, type SessionStore } from "../session/session-store.server.js";
import { type ClerkOAuthClient, createClerkOAuthClient } from "./oauth-client.server.js";
import type { OrganizationState } from "../organizations/organization-state.js";
import {
  type OrganizationService,
  organizationService,
} from "../organizations/organization-service.server.js";
import type { SessionUser } from "./session-user.js";

/**
 * What the auth service needs of one request besides the request itself. The adapters build one
 * per request and hand the same object to every loader and action of it: it is the key the
 * request's shared state (one session lookup, one refresh) is kept under.
 */
export interface AuthContext {
  /** The bindings, checked once for this request. */
  config: AppConfig;
  /** Keeps background work (token revocation, retries) alive after the response. */
  waitUntil(work: Promise<unknown>): void;
  /** Cloudflare's facts about the request (country, city), for the device list. */
  cf: IncomingRequestCfProperties | undefined;
}

/**
 * The signed-in browser: its session's hash (never the id), user and organizations, from the KV
 * copy on a page view and from the authority otherwise.
 */
export interface Current {
  idHash: string;
  user: SessionUser;
  organizations?: OrganizationState;
}

/**
 * What the loaders and actions of one request share: the session is looked up once, a token refresh
 * happens once, and the store and OAuth client are built once. Keyed by the request's AuthContext,
 * which the adapter creates afresh for each request and drops with it.
 */
export interface RequestState {
  client(): ClerkOAuthClient;
  store(): SessionStore;
  organizations(): OrganizationService;
  idHash?: Promise<string | null>;
  current?: Promise<Current | null>;
  token?: Promise<string | null>;
}
const requests = new WeakMap<AuthContext, RequestState>();

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Built on first use: a page view needs neither an OAuth client nor more than the KV copy. */
export function requestState(context: AuthContext): RequestState {
  const known = requests.get(context);
  if (known) return known;
  const { config } = context;
  const client = lazy(() => createClerkOAuthClient(config.clerk));
  const store = lazy(() =>
    createSessionStore({
      config,
      waitUntil: (work) => context.waitUntil(work),
      revokeRefreshToken: (token) => client().revokeToken(token, "refresh_token"),
    }),
  );
  const organizations = lazy(() => organizationService(config, store()));
  const state: RequestState = { client, store, organizations };
  requests.set(context, state);
  return state;
}
