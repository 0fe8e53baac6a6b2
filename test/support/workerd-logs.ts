export interface AppLog {
  level: string;
  message: string;
}

export interface WorkerdLogs {
  /** Miniflare options that hand each of workerd's parsed log lines to `route`. */
  options: {
    handleStructuredLogs(log: AppLog): void;
  };
  /** Every warning and error the app logged since the last clear, oldest first. */
  logs(): AppLog[];
  clear(): void;
}

/**
 * Routes what the app logs in workerd into this Node process: an error becomes a
 * `console.error("[app] …")`, so the console guard fails a test that did not expect it; a warning
 * is only recorded, for tests that assert it; plain logs are dropped. Miniflare parses workerd's
 * JSON log lines itself and passes on what is not one (workerd's own complaints) to stderr.
 */
export function workerdLogs(): WorkerdLogs {
  const recorded: AppLog[] = [];
  const route = (log: AppLog) => {
    if (log.level === "error" || log.level === "warn") recorded.push(log);
    if (log.level === "error") console.error(`[app] ${log.message}`);
  };
  return {
    options: { handleStructuredLogs: ({ level, message }) => route({ level, message }) },
    logs: () => [...recorded],
    clear() {
      recorded.length = 0;
    },
  };
}
