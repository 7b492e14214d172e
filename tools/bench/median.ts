/**
 * The middle value of `values` (the mean of the two middle ones for an even count): robust to
 * one slow run on a noisy machine.
 *
 * @example
 * ```ts
 * median([3, 1, 200]); // 3
 * ```
 */
export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
};
