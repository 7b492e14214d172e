/**
 * A stable 32-bit hash of a reference (FNV-1a over its UTF-16 code units, then MurmurHash3's
 * finaliser so that the low bits, which pick a bucket or a partition, are well mixed). The same
 * reference gives the same hash in every process and on every Node version, so rows that share
 * a reference always meet in the same bucket and partition.
 *
 * @example
 * referenceHash('C0000001') & (8 - 1); // the partition of C0000001 among 8
 */
export const referenceHash = (reference: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < reference.length; index++) {
    hash ^= reference.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
};

/** The bucket or partition (of `count`, a power of two) a hash falls in: its low bits. */
export const slotOf = (hash: number, count: number): number => hash & (count - 1);
