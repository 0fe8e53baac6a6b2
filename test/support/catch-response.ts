/**
 * What `work` throws or rejects with, checked to be an instance of `type`: the one way tests
 * expect a failure (remix-auth strategies throw their redirects as a Response; the app's own
 * failures are typed errors). Anything else thrown is re-thrown; finishing without one fails.
 */
export async function caught<T>(
  work: Promise<unknown> | (() => unknown),
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (thrown) {
    if (thrown instanceof type) return thrown;
    throw thrown;
  }
  throw new Error(`Expected a thrown ${type.name}, but nothing was thrown`);
}
