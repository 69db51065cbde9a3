// Retry delays: exponential backoff with "equal jitter", so retries of many runs do not stampede together.

/**
 * Delay before retry number `retry` (1-based): half of base * 2^(retry-1) fixed, half random, capped.
 * @param random a number in [0, 1), injected for tests
 */
export function retryDelay(
  retry: number,
  baseMs: number,
  maxMs = 5 * 60_000,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
