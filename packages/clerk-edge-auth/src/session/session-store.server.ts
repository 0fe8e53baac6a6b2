import { AuthError } from "../auth/auth-error.js";
import type { ClerkTokens } from "../auth/clerk-responses.js";
import type { SessionUser } from "../auth/session-user.js";
import type { AppConfig } from "../config/config.server.js";
import { encodeBase64Url } from "../utils/base64url.js";
import {
  type AuthoritySession,
  type EndReason,
  type EndedSession,
  type PatchedSession,
  sessionAuthority,
} from "./session-authority.server.js";
import { activityWriteInterval } from "./session-activity.js";
import { createSessionId, hashSessionId } from "./session-cookie.server.js";
import { sessionEdge } from "./session-edge.server.js";
import { type SessionView, viewOf } from "./session-record.js";
import { pruneRound, SIGN_IN_PRUNE_BATCH_SIZE } from "./session-pruning.server.js";
import { tokenSeal } from "./token-seal.server.js";
import { sessionTokens } from "./session-tokens.server.js";
import { errorName } from "../utils/request-facts.js";

export type { AuthoritySession, EndReason } from "./session-authority.server.js";

/**
 * When a change whose outcome is unknown is tried again in the background: the first after KV's
 * one write per second per key, each with its own deadline, all well within the 30 s `waitUntil`
 * allows after a response.
 */
const BACKGROUND_RETRY_DELAYS_MS = [1100, 4000, 10_000];

/**
 * Live sessions one user may hold: a sign-in beyond it ends the oldest. It bounds the work of
 * anything done to all of a user's sessions (a webhook, "sign out all other sessions"): each one
 * costs a KV write or delete and a revocation at Clerk, and a request on the Workers Free plan
 * may make 50 subrequests.
 */
export const MAX_LIVE_SESSIONS_PER_USER = 50;
/**
 * KV copies one request writes or deletes before it answers; more (a user holding sessions from
 * before the cap, or from sign-ins that raced it) follow in steps of this size after the
 * response. A step's liveness check binds one parameter per session, well inside D1's 100.
 */
const COPIES_PER_STEP = 10;
/**
 * Refresh tokens one request revokes at Clerk. Each is a fetch, and a request on the Workers Free
 * plan may make 50; the request's own calls to Clerk need room too. Tokens past this (a user
 * whose sessions predate the cap) are already gone from the authority, so no one holds them.
 */
const MAX_REVOCATIONS_PER_REQUEST = 30;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SessionStoreOptions {
  config: AppConfig;
  /** Keeps background work (token revocation) alive after the response, as `ctx.waitUntil`. */
  waitUntil: (work: Promise<unknown>) => void;
  /** Revokes a refresh token at Clerk (through this request's OAuth client). */
  revokeRefreshToken: (refreshToken: string) => Promise<void>;
  now?: () => number;
}

/** A live session of the signed-in user, as the device list shows it. */
export interface DeviceSession {
  /** A random public name of the session, never its id or a hash of it. */
  handle: string;
  /** Epoch ms of the sign-in. */
  createdAt: number;
  /** Epoch ms of the last activity the authority recorded (see ADR 010). */
  lastActiveAt: number;
  device: string;
  place: string | null;
  /** True for the session of the browser asking. */
  current: boolean;
}

export interface NewSessionInput {
  user: SessionUser;
  tokens: ClerkTokens;
  device: string;
  place: string | null;
  /** Epoch ms at which the sign-in began (its callback arrived). */
  startedAt: number;
  /**
   * With organizations on: the organization picked on Clerk's consent screen, or null. The user's
   * memberships are stored before the session starts.
   */
  activeOrgId?: string | null;
}

/**
 * Sessions with one authority and one edge copy. Every change is made at the authority (D1) first
 * and then copied to KV; page views read the KV copy alone, and fall back to the authority when it
 * is missing. A KV failure is logged and never ends a live session nor hides an ended one.
 */
export function createSessionStore({
  config,
  waitUntil,
  revokeRefreshToken,
  now = Date.now,
}: SessionStoreOptions) {
  const seal = tokenSeal(config.sessionSecrets);
  const authority = sessionAuthority(config.sessionDb, seal);
  const edge = sessionEdge(config.sessionKv);
  const touchEvery = activityWriteInterval(config.sessionIdleTimeoutSeconds);
  /** Sessions whose activity this request already recorded (or found recent). */
  const touched = new Set<string>();
  /** The sessions this request read at the authority, as last read. */
  const read = new Map<string, AuthoritySession>();

  /**
   * Tells the authority of this request's activity, at most once per tenth of the idle window:
   * only with an idle timeout, and only where the authority is read anyway. A failure is logged
   * and costs nothing more: the cookie's stamp is the idle clock.
   */
  async function recordActivity(session: AuthoritySession): Promise<void> {
    if (touchEvery === null || touched.has(session.idHash)) return;
    touched.add(session.idHash);
    const at = now();
    if (at - session.lastActiveAt < touchEvery) return;
    await authority
      .touch(session.idHash, at, at - touchEvery)
      .catch((error: unknown) =>
        console.warn(`Recording session activity failed (${errorName(error)})`),
      );
  }

  let revocations = 0;
  let unrevoked = 0;

  /**
   * Revokes a refresh token at Clerk after the response; a failure is logged, not thrown. Past
   * MAX_REVOCATIONS_PER_REQUEST, the token is only counted, and the count logged once.
   */
  function revokeLater(refreshToken: string): void {
    if (revocations >= MAX_REVOCATIONS_PER_REQUEST) {
      unrevoked += 1;
      if (unrevoked === 1) {
        // Logged after the caller's loop over ended sessions, so the line carries the final count.
        waitUntil(
          Promise.resolve().then(() =>
            console.warn(
              `${unrevoked} refresh token(s) of ended sessions left unrevoked at Clerk, past the ${MAX_REVOCATIONS_PER_REQUEST} one request revokes`,
            ),
          ),
        );
      }
      return;
    }
    revocations += 1;
    waitUntil(
      revokeRefreshToken(refreshToken).catch((error: unknown) =>
        console.warn(`Revoking a refresh token at Clerk failed (${errorName(error)})`),
      ),
    );
  }

  /**
   * Tries `work` again after the response, a few times, until it succeeds: for a change that failed
   * or timed out (and so may or may not have landed) and must still happen. Every change retried
   * this way is idempotent; the last failure is logged as an error.
   */
  function retryLater(label: string, work: () => Promise<unknown>): void {
    waitUntil(
      (async () => {
        let failure: unknown;
        for (const delay of BACKGROUND_RETRY_DELAYS_MS) {
          await sleep(delay);
          try {
            await work();
            return;
          } catch (error) {
            failure = error;
          }
        }
        console.error(`${label} still failed after retrying (${errorName(failure)})`);
      })(),
    );
  }

  /**
   * Removes a KV copy; when KV refuses, keeps trying after the response (first after a second, as
   * KV takes one write per second per key), since a copy left behind would keep showing an ended
   * session to page views until it expires.
   */
  async function removeCopy(idHash: string): Promise<void> {
    if (await edge.remove(idHash)) return;
    retryLater("Removing the KV copy of an ended session", async () => {
      if (!(await edge.remove(idHash))) throw new Error("KV refused the delete");
    });
  }

  /**
   * Runs `step` on the first COPIES_PER_STEP items now and on the rest after the response, one
   * step at a time, so no request does more than a step's work before it answers.
   */
  async function inSteps<T>(items: T[], step: (some: T[]) => Promise<unknown>): Promise<void> {
    await step(items.slice(0, COPIES_PER_STEP));
    if (items.length <= COPIES_PER_STEP) return;
    waitUntil(
      (async () => {
        for (let start = COPIES_PER_STEP; start < items.length; start += COPIES_PER_STEP) {
          await step(items.slice(start, start + COPIES_PER_STEP));
        }
      })().catch((error: unknown) =>
        console.error(`Updating KV copies after the response failed (${errorName(error)})`),
      ),
    );
  }

  /** Ended sessions lose their KV copies now and their refresh tokens in the background. */
  async function finish(ended: EndedSession[]): Promise<number> {
    await inSteps(ended, (some) => Promise.all(some.map((session) => removeCopy(session.idHash))));
    for (const session of ended) if (session.refreshToken) revokeLater(session.refreshToken);
    return ended.length;
  }

  /**
   * Copies changed sessions to KV, then asks the authority whether they are still live: a session
   * ended between the change and the copy is removed again, so no copy outlives its session.
   */
  function copy(changed: PatchedSession[]): Promise<void> {
    return inSteps(changed, async (some) => {
      await Promise.all(
        some.map(({ idHash, user, expiresAt, organizations }) =>
          edge.write(idHash, { user, expiresAt, ...(organizations && { organizations }) }, now()),
        ),
      );
      const hashes = some.map((session) => session.idHash);
      const gone = await authority.notLive(hashes, now()).catch((error: unknown) => {
        console.error(`Session database check failed (${errorName(error)})`);
        return new Set(hashes);
      });
      await Promise.all([...gone].map((idHash) => edge.remove(idHash)));
    });
  }

  /**
   * Keeps the user within MAX_LIVE_SESSIONS_PER_USER after a sign-in. A failure leaves the
   * sign-in as it is (logged): the cap is tried again by the next one.
   */
  async function endBeyondCap(userId: string): Promise<void> {
    try {
      await finish(await authority.endBeyond(userId, MAX_LIVE_SESSIONS_PER_USER, now()));
    } catch (error) {
      console.warn(`Ending a user's sessions beyond the cap failed (${errorName(error)})`);
    }
  }

  return {
    authority,
    tokens: sessionTokens(config.sessionDb, seal),
    revokeLater,
    retryLater,

    /**
     * Starts a session at the authority, then copies it to KV as every change is copied (the
     * authority is asked again afterwards, so a session ended meanwhile leaves no copy); returns
     * the new id.
     * @throws {AuthError} `provider_denied` when the user's sessions were all ended (deleted,
     *   banned, locked) after this sign-in began: it starts no session.
     */
    async create({
      user,
      tokens,
      device,
      place,
      startedAt,
      activeOrgId,
    }: NewSessionInput): Promise<{
      id: string;
      idHash: string;
      createdAt: number;
      expiresAt: number;
    }> {
      const id = createSessionId();
      const idHash = await hashSessionId(id);
      const createdAt = now();
      const expiresAt = createdAt + config.sessionMaxAgeSeconds * 1000;
      const handle = encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      const session = {
        idHash,
        handle,
        user,
        tokens,
        createdAt,
        expiresAt,
        lastActiveAt: createdAt,
        device,
        place,
      };
      const inserted = await authority.insert(session, startedAt, activeOrgId);
      if (inserted === null) {
        if (tokens.refreshToken) revokeLater(tokens.refreshToken);
        throw new AuthError("provider_denied", { cause: "the account was ended during sign-in" });
      }
      await Promise.all([copy([{ idHash, user, expiresAt, ...inserted }]), endBeyondCap(user.id)]);
      return { id, idHash, createdAt, expiresAt };
    },

    /**
     * A live session as a page view sees it: one KV read; only when the copy is missing or KV
     * fails, one authority read (and, for a missing copy of a live session, the copy is restored).
     * When the authority cannot be read either, the view is answered as signed out.
     */
    async viewSession(idHash: string): Promise<SessionView | null> {
      const read = await edge.read(idHash);
      if (typeof read === "object") return read.expiresAt > now() ? read : null;
      let live: AuthoritySession | null;
      try {
        live = await this.liveSession(idHash);
      } catch (error) {
        console.error(`Session database read failed (${errorName(error)})`);
        return null;
      }
      if (live === null) return null;
      const view = viewOf(live);
      if (read === "missing") await copy([{ idHash, ...view }]);
      return view;
    },

    /**
     * The session as the authority holds it, for actions and tokens; null when it is not live.
     * Reading it counts as the session's activity (see `recordActivity`). A session whose row
     * cannot be read (tokens sealed under a removed secret) is ended here and reads as over.
     * @throws when the authority cannot be read: an unknown answer is not "signed out".
     */
    async liveSession(idHash: string): Promise<AuthoritySession | null> {
      const live = await authority.findLive(idHash, now());
      if (live === "unreadable") {
        // Its tokens were sealed under a secret since removed: the session is over, everywhere.
        await this.end(idHash, "unreadable").catch((error: unknown) =>
          console.error(`Ending an unreadable session failed (${errorName(error)})`),
        );
        return null;
      }
      if (live) {
        read.set(idHash, live);
        await recordActivity(live);
      }
      return live;
    },

    /** The session as this request last read it at the authority; undefined when it did not. */
    lastRead(idHash: string): AuthoritySession | undefined {
      return read.get(idHash);
    },

    /**
     * Deletes a few ended and expired rows after the response: on Pages, which has no cron, sign-ins
     * are what keeps the database from growing. A failure is logged; the next sign-in tries again.
     */
    pruneLater(): void {
      waitUntil(
        pruneRound(config.sessionDb, now(), SIGN_IN_PRUNE_BATCH_SIZE).catch((error: unknown) =>
          console.warn(`Pruning the session database failed (${errorName(error)})`),
        ),
      );
    },

    /** Removes the KV copy of a session the authority says is over, so it stops showing as live. */
    forgetCopy(idHash: string): Promise<void> {
      return removeCopy(idHash);
    },

    /** The user's live sessions, newest first; null when `currentIdHash` is not among them. */
    async listDevices(userId: string, currentIdHash: string): Promise<DeviceSession[] | null> {
      const sessions = await authority.listLive(userId, now());
      if (!sessions.some((session) => session.idHash === currentIdHash)) return null;
      return sessions.map((session) => ({
        handle: session.handle,
        createdAt: session.createdAt,
        lastActiveAt: session.lastActiveAt,
        device: session.device,
        place: session.place,
        current: session.idHash === currentIdHash,
      }));
    },

    /** Ends one session; with `refreshToken`, only while that is still its refresh token. */
    async end(idHash: string, reason: EndReason, refreshToken?: string): Promise<boolean> {
      const ended = await authority
        .end(idHash, reason, now(), refreshToken)
        .catch(async (error) => {
          // The copy goes even when the authority cannot be reached, so pages stop showing it here.
          if (refreshToken === undefined) await edge.remove(idHash);
          throw error;
        });
      if (ended === null) {
        // Already over at the authority; a copy left behind by an earlier failure goes too.
        if (refreshToken === undefined) await removeCopy(idHash);
        return false;
      }
      return (await finish([ended])) === 1;
    },

    /** Ends another live session of the user by its public handle; false when there is none. */
    async endByHandle(userId: string, handle: string, keepIdHash: string): Promise<boolean> {
      const ended = await authority.endByHandle(userId, handle, keepIdHash, now());
      return ended !== null && (await finish([ended])) === 1;
    },

    /** Ends every live session of the user, but `keepIdHash` when given; returns how many. */
    async endAllForUser(
      userId: string,
      reason: EndReason,
      keepIdHash: string | null = null,
    ): Promise<number> {
      return finish(await authority.endAllOfUser(userId, reason, now(), keepIdHash));
    },

    /**
     * Writes only the given user fields of one live session; false when it is not live, or,
     * with `updatedAt`, when it holds fields newer than that.
     */
    async updateUser(
      idHash: string,
      patch: Partial<SessionUser>,
      updatedAt: number | null = null,
    ): Promise<boolean> {
      const changed = await authority.patchUser({ idHash }, patch, now(), updatedAt);
      await copy(changed);
      return changed.length > 0;
    },

    /** Copies sessions an organization change touched at the authority to KV. */
    copyChanged: copy,

    /**
     * Writes only the given user fields in every live session of the user; returns how many.
     * With `updatedAt` (Clerk's time of these fields), sessions holding newer fields are left
     * alone and the others remember it.
     */
    async updateUserEverywhere(
      userId: string,
      patch: Partial<SessionUser>,
      updatedAt: number | null = null,
    ): Promise<number> {
      const changed = await authority.patchUser({ userId }, patch, now(), updatedAt);
      await copy(changed);
      return changed.length;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
