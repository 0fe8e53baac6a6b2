/**
 * The idle timeout's rules, in one place. The session cookie carries the time of the browser's
 * last request (signed, so it cannot be moved forward): a page view judges idleness from it alone
 * and writes nothing to either store. The cookie is re-issued with a fresh stamp at most once per
 * tenth of the idle window, so a session is ended at most a tenth early and never late.
 */

/** Where a request stands against the idle timeout. */
export type Activity =
  /** No idle timeout: nothing to check or refresh. */
  | "off"
  /** Recently stamped: nothing to do. */
  | "fresh"
  /** Still live, but the stamp is older than a tenth of the window: re-issue the cookie. */
  | "due"
  /** Past the idle timeout: the session ends now. */
  | "idle"
  /** A cookie from before the stamp existed: the authority's record is the clock. */
  | "unknown";

const TENTH = 10;

/** How often a live session's activity is written down, in ms; null without an idle timeout. */
export function activityWriteInterval(idleTimeoutSeconds: number | null): number | null {
  return idleTimeoutSeconds === null ? null : (idleTimeoutSeconds * 1000) / TENTH;
}

/** Where a request last active at `activeAt` (epoch ms; null when unknown) stands at `now`. */
export function activityAt(
  activeAt: number | null,
  now: number,
  idleTimeoutSeconds: number | null,
): Activity {
  if (idleTimeoutSeconds === null) return "off";
  if (activeAt === null) return "unknown";
  const quiet = now - activeAt;
  if (quiet >= idleTimeoutSeconds * 1000) return "idle";
  return quiet >= (idleTimeoutSeconds * 1000) / TENTH ? "due" : "fresh";
}
