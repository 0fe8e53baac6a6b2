import type { AppLoadContext } from "@remix-run/cloudflare";
import { createSessionStore, type SessionStore } from "~/session/session-store.server";
import { type ClerkOAuthClient, createClerkOAuthClient } from "./oauth-client.server";
import type { SessionUser } from "./session-user";

/** The signed-in browser: its session's hash (never the id) and user. */
export interface Current {
  idHash: string;
  user: SessionUser;
}

/**
 * What the loaders and actions of one request share: the session is looked up once, a token refresh
 * happens once, and the store and OAuth client are built once. Keyed by the load context, which
 * Remix creates afresh for each request and drops with it.
 */
export interface RequestState {
  client(): ClerkOAuthClient;
  store(): SessionStore;
  idHash?: Promise<string | null>;
  current?: Promise<Current | null>;
  token?: Promise<string | null>;
}
const requests = new WeakMap<AppLoadContext, RequestState>();

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Built on first use: a page view needs neither an OAuth client nor more than the KV copy. */
export function requestState(context: AppLoadContext): RequestState {
  const known = requests.get(context);
  if (known) return known;
  const { config } = context;
  const client = lazy(() => createClerkOAuthClient(config.clerk));
  const store = lazy(() =>
    createSessionStore({
      config,
      waitUntil: (work) => context.cloudflare.ctx.waitUntil(work),
      revokeRefreshToken: (token) => client().revokeToken(token, "refresh_token"),
    }),
  );
  const state: RequestState = { client, store };
  requests.set(context, state);
  return state;
}
