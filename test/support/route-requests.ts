// Calling Remix loaders and actions directly in tests: a form POST as a browser sends it, and the Response a
// loader or action throws (redirect, 403) caught as a value.
export function formPost(url: string, fields: Record<string, string>, { cookie, origin }: { cookie?: string; origin?: string } = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: {
      Origin: origin ?? new URL(url).origin,
      "Content-Type": "application/x-www-form-urlencoded",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** What a loader or action returned, or the Response it threw. */
export async function settle<T>(promise: Promise<T>): Promise<T | Response> {
  try {
    return await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
