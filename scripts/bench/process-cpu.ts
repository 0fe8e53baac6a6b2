// CPU time of the workerd process behind a Miniflare instance, read from /proc (Linux only).
// Cloudflare bills a request's CPU, not its wall time; on this machine wall time is mostly other
// work, so the bench reads what workerd itself spent.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Linux's USER_HZ: utime and stime in /proc/<pid>/stat count hundredths of a second. */
const TICK_NS = 10_000_000;

function readOr(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function statFields(pid: number): string[] | null {
  const stat = readOr(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The workerd processes this Node process has started and that are still running. */
export function workerdChildren(): Set<number> {
  const found = new Set<number>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    // After the name: state, then the parent's pid.
    const parent = Number(statFields(pid)?.[1]);
    if (parent === process.pid && readOr(`/proc/${pid}/comm`)?.trim() === "workerd") found.add(pid);
  }
  return found;
}

/** The one workerd started since `before` was taken; throws when there is not exactly one. */
export function newWorkerd(before: Set<number>): number {
  const started = [...workerdChildren()].filter((pid) => !before.has(pid));
  if (started.length !== 1 || started[0] === undefined) {
    throw new Error(`Expected one new workerd process, found ${started.length}`);
  }
  return started[0];
}

/**
 * Nanoseconds of CPU the process's live threads have run, from each thread's schedstat (exact,
 * unlike the 10 ms ticks of /proc/<pid>/stat). For differences over short intervals: a thread that
 * exits takes its time with it, which workerd's long-lived threads do not.
 */
export function liveThreadsCpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const schedstat = readOr(join(`/proc/${pid}/task`, tid, "schedstat"));
    if (schedstat === null) continue;
    total += Number(schedstat.split(" ")[0]);
  }
  return total;
}

/** Milliseconds of CPU (user and system) the process has used since it started, to 10 ms. */
export function lifetimeCpuMs(pid: number): number {
  const fields = statFields(pid);
  if (!fields) throw new Error(`workerd process ${pid} is gone`);
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * TICK_NS) / 1e6;
}
