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
