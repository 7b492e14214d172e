/** Hex digits in a sequencer: every sequencer has the same width, so they compare as strings. */
const SEQUENCER_WIDTH = 18;

/**
 * Hands out S3 event sequencers: upper-case hex strings of a fixed width, strictly increasing
 * per bucket (AWS only promises they increase per key; consumers use them to order events).
 * Based on the time in microseconds, bumped by one when two events share a microsecond.
 *
 * @example
 * const nextSequencer = createS3Sequencer();
 * nextSequencer('bucket'); // '00000619D2D6EDD000'
 */
export const createS3Sequencer = (now: () => number = Date.now): ((bucket: string) => string) => {
  const last = new Map<string, bigint>();
  return (bucket) => {
    const fromClock = BigInt(now()) * 1000n;
    const previous = last.get(bucket);
    const next = previous !== undefined && previous >= fromClock ? previous + 1n : fromClock;
    last.set(bucket, next);
    return next.toString(16).toUpperCase().padStart(SEQUENCER_WIDTH, '0');
  };
};
