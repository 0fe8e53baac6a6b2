/**
 * Awaits something expected to throw a Response (remix-auth strategies throw their redirects)
 * and returns that Response. Anything else that is thrown is re-thrown; resolving is a failure.
 */
export async function catchResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("Expected a thrown Response, but the promise resolved");
}
