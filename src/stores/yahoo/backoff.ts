// Retries with exponential backoff and full jitter, for rate limits and other transient source errors.

export interface BackoffOptions {
  /** Retries after the first attempt. @defaultValue 5 */
  retries?: number;
  /** Cap of the first delay; each retry doubles it. @defaultValue 1000 */
  baseMs?: number;
  /** No delay is longer than this. @defaultValue 30000 */
  maxMs?: number;
  /** Injected so tests run instantly and can see the delays. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn` until it succeeds, fails with an error `retryable` refuses, or runs out of retries. The delay before
 * retry k is uniform in [0, min(maxMs, baseMs * 2^k)] ("full jitter"): clients that were throttled together spread
 * out instead of returning in lockstep.
 */
export async function withBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  retryable: (e: unknown) => boolean,
  options: BackoffOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= retries || !retryable(e)) {
        throw e;
      }
      await sleep(Math.floor(random() * Math.min(max, base * 2 ** attempt)));
    }
  }
}
