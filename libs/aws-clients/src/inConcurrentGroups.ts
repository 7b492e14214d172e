/**
 * Splits `items` into groups of at most `groupSize` (the most one batch call takes) and runs
 * `handle` on them with at most `concurrency` groups in flight; rejects with the first failure.
 *
 * @example
 * await inConcurrentGroups(messages, 10, 8, (group) => sendBatch(group));
 */
export const inConcurrentGroups = async <T>(
  items: readonly T[],
  groupSize: number,
  concurrency: number,
  handle: (group: readonly T[]) => Promise<void>,
): Promise<void> => {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += groupSize) {
    groups.push(items.slice(start, start + groupSize));
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) await handle(groups[next++] as T[]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
};
