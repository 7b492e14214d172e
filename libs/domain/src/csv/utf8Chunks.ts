import { isUtf8 } from 'node:buffer';
import { CsvFileError } from './CsvFileError';
import { countByte } from './countByte';

const LINE_FEED = 0x0a;
const NUL = 0x00;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const NO_BYTES = Buffer.alloc(0);

/**
 * Yields the bytes of `source` once they are proven to be UTF-8 text, with a leading byte order
 * mark removed. Each yielded chunk ends on a character boundary: a character split across two
 * source chunks is valid and is carried over to the next chunk. Validation runs natively
 * (`buffer.isUtf8`) on whole chunks, so the cost per byte stays tiny.
 *
 * Throws {@link CsvFileError} `FILE_NOT_UTF8` naming the physical line of the first bad byte,
 * after yielding the lines before it:
 * invalid or truncated UTF-8, and also a NUL byte. NUL is valid UTF-8, but it never occurs in a
 * text CSV: it means UTF-16 or binary data, whose fix is the same (export the file as UTF-8).
 *
 * @example
 * ```ts
 * for await (const bytes of utf8Chunks(s3Body)) parser.write(bytes);
 * ```
 */
export async function* utf8Chunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer = NO_BYTES;
  let atStart = true;
  let linesBefore = 0;
  for await (const piece of source) {
    let bytes = carry.length === 0 ? asBuffer(piece) : Buffer.concat([carry, piece]);
    if (atStart) {
      if (bytes.length < BYTE_ORDER_MARK.length && isByteOrderMarkPrefix(bytes)) {
        carry = bytes;
        continue;
      }
      atStart = false;
      if (isByteOrderMarkPrefix(bytes)) bytes = bytes.subarray(BYTE_ORDER_MARK.length);
    }
    const completeLength = bytes.length - incompleteTailLength(bytes);
    const complete = bytes.subarray(0, completeLength);
    // Copy the few carried bytes so the carry does not keep the whole source chunk alive.
    carry = Buffer.from(bytes.subarray(completeLength));
    if (!isUtf8(complete) || complete.includes(NUL)) {
      const bad = firstBadLine(complete);
      // The lines before the bad one are fine: pass them on, as if the chunk ended there.
      if (bad.start > 0) yield complete.subarray(0, bad.start);
      throw new CsvFileError('FILE_NOT_UTF8', linesBefore + bad.index + 1, bad.reason);
    }
    linesBefore += countByte(complete, LINE_FEED);
    if (complete.length > 0) yield complete;
  }
  if (carry.length > 0) {
    throw new CsvFileError(
      'FILE_NOT_UTF8',
      linesBefore + 1,
      'the file ends in the middle of a UTF-8 character',
    );
  }
}

function asBuffer(piece: Uint8Array): Buffer {
  return Buffer.isBuffer(piece)
    ? piece
    : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
}

/** True when `bytes` is the byte order mark, a start of it, or starts with it. */
function isByteOrderMarkPrefix(bytes: Buffer): boolean {
  const length = Math.min(bytes.length, BYTE_ORDER_MARK.length);
  return bytes.subarray(0, length).equals(BYTE_ORDER_MARK.subarray(0, length));
}

/**
 * How many bytes at the end of `bytes` start a character that the next chunk completes.
 * Anything else invalid is left to `isUtf8`, which reports it.
 */
function incompleteTailLength(bytes: Buffer): number {
  const end = bytes.length;
  const earliestLead = Math.max(0, end - 4);
  let lead = end - 1;
  while (lead >= earliestLead && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  if (lead < earliestLead) return 0;
  const first = bytes[lead] ?? 0;
  const expected = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return end - lead < expected ? end - lead : 0;
}

/**
 * The first line of `bytes` holding invalid UTF-8 or a NUL, and why. A line feed never occurs
 * inside a multi-byte UTF-8 character, so each line can be checked on its own.
 */
function firstBadLine(bytes: Buffer): {
  readonly index: number;
  readonly start: number;
  readonly reason: string;
} {
  let index = 0;
  let start = 0;
  for (;;) {
    const lineFeed = bytes.indexOf(LINE_FEED, start);
    const line = bytes.subarray(start, lineFeed === -1 ? bytes.length : lineFeed);
    if (!isUtf8(line)) return { index, start, reason: 'the line is not valid UTF-8 text' };
    if (line.includes(NUL) || lineFeed === -1) {
      return {
        index,
        start,
        reason: 'the line contains a NUL byte: the file is binary or UTF-16, not UTF-8 text',
      };
    }
    index++;
    start = lineFeed + 1;
  }
}
