import { setTimeout as sleep } from 'node:timers/promises';

export interface SettleOptions {
  /** Pause between observations. Default 100 ms. */
  intervalMs?: number;
  /** Give up (reject) after this long. Default: wait as long as it takes. */
  timeoutMs?: number;
}

/**
 * Resolves once `isIdle` has answered true on two observations in a row, `intervalMs` apart.
 * One observation is not enough: queue counters and in-process counters are read one after the
 * other, so a message can pass from one stage to the next between two reads.
 *
 * @example
 * await waitUntilSettled(() => poller.isIdle(), { timeoutMs: 30_000 });
 */
export const waitUntilSettled = async (
  isIdle: () => Promise<boolean>,
  options: SettleOptions = {},
): Promise<void> => {
  const intervalMs = options.intervalMs ?? 100;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let idleInARow = 0;
  while (idleInARow < 2) {
    if (Date.now() > deadline) throw new Error(`not idle after ${options.timeoutMs} ms`);
    idleInARow = (await isIdle()) ? idleInARow + 1 : 0;
    if (idleInARow < 2) await sleep(intervalMs);
  }
};
