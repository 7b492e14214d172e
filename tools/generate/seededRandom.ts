/** A deterministic source of pseudo-random numbers: the same seed gives the same sequence. */
export interface SeededRandom {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform integer in `[0, bound)`; `bound` is a positive integer below 2^32. */
  below(bound: number): number;
  /** True with probability `p` (0 never, 1 always). */
  chance(p: number): boolean;
  /** One element of `choices`, uniformly. */
  pick<T>(choices: readonly T[]): T;
}

const TWO_TO_32 = 0x1_0000_0000;

/**
 * mulberry32: a tiny 32-bit generator (one add, two multiplies per number), plenty for test
 * data and far faster than a cryptographic one. Never `Math.random`, which cannot be seeded, so
 * a generated batch is reproducible byte for byte from its seed.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(1);
 * random.below(10); // the same digit on every run
 * ```
 */
export const createSeededRandom = (seed: number): SeededRandom => {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (bound: number): number => Math.floor((nextUint32() / TWO_TO_32) * bound);
  return {
    nextUint32,
    below,
    chance: (p) => p > 0 && nextUint32() < p * TWO_TO_32,
    pick: <T>(choices: readonly T[]): T => {
      const choice = choices[below(choices.length)];
      if (choice === undefined) throw new RangeError('pick needs at least one choice');
      return choice;
    },
  };
};
