import { createHash, randomBytes } from "node:crypto";
import {
  type ClerkEmulator,
  type ClerkEmulatorOptions,
  createClerkEmulator,
  DEFAULT_CLIENT,
} from "../src/emulator";

/** A name no resolver answers: a request that escapes the in-process emulator fails loudly. */
export const EMULATOR_ORIGIN = "http://clerk.emulator.test";

/** An emulator and the fetch that reaches it; in-process or behind a real socket alike. */
export interface EmulatorUnderTest {
  origin: string;
  emulator: ClerkEmulator;
  fetch: typeof fetch;
}

/**
 * A fetch answered by `emulator` in this process, with no server and no port. It refuses URLs
 * on any other origin, so a test cannot silently reach the network.
 */
export function fetchVia(emulator: ClerkEmulator, origin: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const target = new URL(request.url).origin;
    if (target !== origin) throw new TypeError(`${target} is not the emulator at ${origin}`);
    return emulator.fetch(request);
  };
}

export function inProcessEmulator(
  options: ClerkEmulatorOptions = {},
  origin = EMULATOR_ORIGIN,
): EmulatorUnderTest {
  const emulator = createClerkEmulator(options);
  return { origin, emulator, fetch: fetchVia(emulator, origin) };
}

export const CALLBACK = "http://127.0.0.1:8788/auth/clerk/callback";
export const STATE = "state-0123456789abcdef";

/** Node's own hashing, deliberately not the emulator's crypto.subtle code under test. */
export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

export function basicAuth(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replaceAll("%20", "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

export function authorizeUrl(origin: string, overrides: Record<string, string | null> = {}) {
  const params: Record<string, string | null> = {
    response_type: "code",
    client_id: DEFAULT_CLIENT.clientId,
    redirect_uri: CALLBACK,
    state: STATE,
    scope: "profile email",
    ...overrides,
  };
  const url = new URL("/oauth/authorize", origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.toString();
}

export function postForm(
  clerk: EmulatorUnderTest,
  path: string,
  form: Record<string, string>,
  headers: HeadersInit = {},
) {
  return clerk.fetch(`${clerk.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
}

export function tokenRequest(clerk: EmulatorUnderTest, form: Record<string, string>) {
  return postForm(clerk, "/oauth/token", form, {
    authorization: basicAuth(DEFAULT_CLIENT.clientId, DEFAULT_CLIENT.clientSecret),
  });
}

export function queryOf(location: string | null): Record<string, string> {
  if (location === null) throw new Error("expected a Location header");
  return Object.fromEntries(new URL(location).searchParams);
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  id_token?: string;
}

/** Runs the whole code flow with PKCE and returns the token response body. */
export async function signIn(
  clerk: EmulatorUnderTest,
  options: { scope?: string; userId?: string; orgId?: string } = {},
): Promise<TokenBody> {
  const { verifier, challenge } = pkcePair();
  const location = clerk.emulator.approve({
    redirectUri: CALLBACK,
    state: STATE,
    codeChallenge: challenge,
    scope: options.scope,
    userId: options.userId,
    orgId: options.orgId,
  });
  const code = queryOf(location).code ?? "";
  const response = await tokenRequest(clerk, {
    grant_type: "authorization_code",
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  if (response.status !== 200) throw new Error(`token exchange failed: ${response.status}`);
  return (await response.json()) as TokenBody;
}

export function codeFor(clerk: EmulatorUnderTest, challenge?: string, scope?: string) {
  const location = clerk.emulator.approve({
    redirectUri: CALLBACK,
    state: STATE,
    codeChallenge: challenge,
    scope,
  });
  return queryOf(location).code ?? "";
}

export function userInfo(clerk: EmulatorUnderTest, accessToken: string) {
  return clerk.fetch(`${clerk.origin}/oauth/userinfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
}
