import { beforeAll, describe, expect, test } from "vitest";
import type { KvOps } from "../support/kv-ops-counter";
import { type KvScenario, measureKvOpsPerRequest } from "../support/kv-ops-scenarios";

// KV's free plan allows 100,000 reads and 1,000 writes+deletes a day, and every KV call adds
// latency: these counts are the app's budget per request type. `npm run bench` reports the same
// measurement with what the free plan allows per day.
let ops: Record<KvScenario, KvOps>;
beforeAll(async () => {
  ops = await measureKvOpsPerRequest();
});

function only(counts: Partial<KvOps>): KvOps {
  return { get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0, ...counts };
}

describe("KV operations per request", () => {
  test("a signed-out page view touches KV not at all", () => {
    expect(ops.signedOutView).toEqual(only({}));
  });

  test("a signed-in view of /private reads the session once and writes nothing", () => {
    expect(ops.signedInPrivate).toEqual(only({ get: 1 }));
  });

  test("a signed-in view of / reads the session once and writes nothing", () => {
    expect(ops.signedInHome).toEqual(only({ get: 1 }));
  });

  test("a signed-in client navigation runs several loaders on one session read", () => {
    expect(ops.signedInNavigation).toEqual(only({ get: 1 }));
  });

  test("starting a sign-in while signed out touches KV not at all", () => {
    expect(ops.login).toEqual(only({}));
  });

  test("the sign-in callback writes the new session once and reads nothing", () => {
    expect(ops.callback).toEqual(only({ put: 1 }));
  });

  test("the sign-in callback also deletes a pre-login session, without reading it", () => {
    expect(ops.callbackAfterPreLoginSession).toEqual(only({ put: 1, delete: 1 }));
  });

  test("signing out reads the session once, for its refresh token, and deletes it once", () => {
    expect(ops.signOut).toEqual(only({ get: 1, delete: 1 }));
  });

  test("a token refresh reads the session once and writes it back once", () => {
    expect(ops.tokenRefresh).toEqual(only({ get: 1, put: 1 }));
  });
});
