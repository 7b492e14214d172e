/**
 * Counts the occurrences of one byte value in `bytes[0, end)` with native `indexOf` scans, so
 * the cost is one call per occurrence rather than one JavaScript step per byte.
 *
 * @example
 * ```ts
 * countByte(Buffer.from('a\nb\nc'), 0x0a); // 2
 * ```
 */
export function countByte(bytes: Buffer, byte: number, end = bytes.length): number {
  let count = 0;
  let at = bytes.indexOf(byte);
  while (at !== -1 && at < end) {
    count++;
    at = bytes.indexOf(byte, at + 1);
  }
  return count;
}
