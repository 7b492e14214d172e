/** How often and how patiently to retry the part of a batch call that AWS did not process. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
};

/** Waits `ms` milliseconds. Injected so tests need no real time. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Full-jitter exponential backoff (the AWS Architecture Blog's recommendation): a random delay
 * between 0 and min(max, base * 2^attempt), so retries of many callers spread out.
 */
export const backoffDelay = (
  policy: BackoffPolicy,
  attempt: number,
  random = Math.random,
): number => Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));

/** What one attempt of a batch call left undone, and whether retrying it could help. */
export interface AttemptResult<T> {
  readonly left: readonly T[];
  /** A sender fault (a malformed entry) fails again however often it is retried. */
  readonly hopeless?: boolean;
}

/**
 * Sends `entries` with `attempt`, then retries only the entries it left undone, with
 * {@link backoffDelay} between tries, at most `policy.maxAttempts` times in all. Returns what
 * is still undone (empty on success): the caller decides how to report it, never drops it.
 *
 * @example
 * const left = await retryWithBackoff(items, policy, sleep, async (pending) => ({ left: await write(pending) }));
 */
export const retryWithBackoff = async <T>(
  entries: readonly T[],
  policy: BackoffPolicy,
  sleep: Sleep,
  attempt: (pending: readonly T[]) => Promise<AttemptResult<T>>,
): Promise<readonly T[]> => {
  let pending = entries;
  for (let tries = 0; tries < policy.maxAttempts && pending.length > 0; tries += 1) {
    if (tries > 0) await sleep(backoffDelay(policy, tries));
    const result = await attempt(pending);
    pending = result.left;
    if (result.hopeless) break;
  }
  return pending;
};
