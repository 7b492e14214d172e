/**
 * Orders two S3 event sequencers of the same key: negative when `a` is earlier.
 *
 * S3 sequencers are hexadecimal strings of varying length; AWS documents that they compare
 * lexicographically after right-padding the shorter one with zeros. They order events of one
 * key only: never compare sequencers of different keys.
 *
 * @example
 * compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E6'); // < 0
 */
export const compareSequencers = (a: string, b: string): number => {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padEnd(width, '0');
  const right = b.toUpperCase().padEnd(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
};
