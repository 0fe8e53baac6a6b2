/** An outgoing call did not answer in time. The label names the call, never its arguments. */
export class DeadlineError extends Error {
  override readonly name = "DeadlineError";

  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} did not answer within ${ms} ms`);
  }
}

/**
 * Runs `work` with a deadline: after `ms` the signal handed to it aborts and the returned promise
 * rejects with a `DeadlineError`, whether or not `work` honours the signal (KV and D1 calls take
 * none), so a hung dependency cannot hold a request.
 * @throws {DeadlineError} when the deadline passes first; otherwise whatever `work` throws.
 */
export async function withDeadline<T>(
  label: string,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineError(label, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
