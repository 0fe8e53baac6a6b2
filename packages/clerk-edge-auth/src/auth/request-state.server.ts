import type { AppConfig } from "../config/config.server.js";
import type { Activity } from "../session/session-activity.js";
import type { SessionCookieValue } from "../session/session-cookie.server.js";
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
  /** This request's answer for `key`: made on first ask, the same promise after. */
  once<K extends keyof Memo>(key: K, make: () => Memo[K]): Memo[K];
  /** Replaces what the request knows for `key`, e.g. signed out once the session ended. */
  settle<K extends keyof Memo>(key: K, value: Memo[K]): void;
  /** Whether the authority said, during this request, that the browser's session is over. */
  ended: { (): boolean; mark(): void };
}

/** What one request learns once and every loader of it shares. */
interface Memo {
  cookie: Promise<SessionCookieValue | null>;
  idHash: Promise<string | null>;
  /** The idle check, made once per request; "ended" when it ended the session. */
  activity: Promise<Activity | "ended">;
  current: Promise<Current | null>;
  token: Promise<string | null>;
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
  const memo: Partial<Memo> = {};
  let ended = false;
  const state: RequestState = {
    client,
    store,
    organizations,
    once(key, make) {
      memo[key] ??= make();
      return memo[key] as Memo[typeof key];
    },
    settle(key, value) {
      memo[key] = value;
    },
    ended: Object.assign(() => ended, {
      mark() {
        ended = true;
      },
    }),
  };
  requests.set(context, state);
  return state;
}
