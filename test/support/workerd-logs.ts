import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

export interface AppLog {
  level: string;
  message: string;
}

export interface WorkerdLogs {
  /** Miniflare options that hand workerd's console output, one JSON line each, to `route`. */
  options: {
    structuredWorkerdLogs: true;
    handleRuntimeStdio(stdout: Readable, stderr: Readable): void;
  };
  /** Every warning and error the app logged since the last clear, oldest first. */
  logs(): AppLog[];
  clear(): void;
}

function parseLine(line: string): AppLog | null {
  try {
    const { level, message } = JSON.parse(line) as Partial<Record<string, unknown>>;
    return typeof level === "string" && typeof message === "string" ? { level, message } : null;
  } catch {
    return null;
  }
}

/**
 * Routes what the app logs in workerd into this Node process: an error becomes a
 * `console.error("[app] …")`, so the console guard fails a test that did not expect it; a warning
 * is only recorded, for tests that assert it; plain logs are dropped; anything that is not a
 * structured log line (workerd's own complaints) goes to stderr untouched.
 */
export function workerdLogs(): WorkerdLogs {
  const recorded: AppLog[] = [];
  const route = (line: string) => {
    if (line.trim() === "") return;
    const log = parseLine(line);
    if (log === null) {
      process.stderr.write(`${line}\n`);
      return;
    }
    if (log.level === "error" || log.level === "warn") recorded.push(log);
    if (log.level === "error") console.error(`[app] ${log.message}`);
  };
  return {
    options: {
      structuredWorkerdLogs: true,
      handleRuntimeStdio(stdout, stderr) {
        for (const stream of [stdout, stderr]) createInterface({ input: stream }).on("line", route);
      },
    },
    logs: () => [...recorded],
    clear() {
      recorded.length = 0;
    },
  };
}
