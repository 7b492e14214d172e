import { isUtf8 } from 'node:buffer';
import { CsvFileError } from './CsvFileError';
import { countByte } from './countByte';

const LINE_FEED = 0x0a;
const NUL = 0x00;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const NO_BYTES = Buffer.alloc(0);

/** How to get a UTF-8 CSV out of a spreadsheet: the fix for every UTF-16 file. */
const SAVE_AS_UTF8 = 'save it as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited))';

/**
 * Formats that people upload in place of a CSV, known by their first bytes. Named so the
 * message says what the file is, rather than only that some line is not UTF-8 text.
 */
const FOREIGN_FORMATS: readonly { readonly signature: Buffer; readonly reason: string }[] = [
  // Excel's "Unicode Text" and many Windows tools write UTF-16 with a byte order mark.
  {
    signature: Buffer.from([0xff, 0xfe]),
    reason: `the file is UTF-16 text (it starts with a UTF-16 little-endian byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
  },
  {
    signature: Buffer.from([0xfe, 0xff]),
    reason: `the file is UTF-16 text (it starts with a UTF-16 big-endian byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
  },
  {
    signature: Buffer.from('PK\x03\x04', 'latin1'),
    reason:
      'the file is a ZIP archive (an Excel .xlsx workbook is one), not CSV text: upload the CSV itself, uncompressed',
  },
  {
    signature: Buffer.from([0x1f, 0x8b]),
    reason: 'the file is gzip-compressed, not CSV text: upload it uncompressed',
  },
  {
    signature: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
    reason: 'the file is an OLE2 document (such as an Excel .xls workbook), not CSV text',
  },
];
/** Bytes needed to tell a byte order mark or a foreign format. */
const HEAD_BYTES = 4;

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
 * A ZIP (also `.xlsx`), gzip or OLE2 (`.xls`) file is refused on line 1 by its first bytes, and
 * so is UTF-16 text: by its byte order mark, or by ASCII characters with a NUL byte between
 * them (UTF-16 without a mark). The message says what the file is and how to save it as UTF-8.
 *
 * @example
 * ```ts
 * for await (const bytes of utf8Chunks(s3Body)) parser.write(bytes);
 * ```
 */
export async function* utf8Chunks(
  source: AsyncIterable<Uint8Array>,
  options: Utf8ChunksOptions = {},
): AsyncGenerator<Buffer> {
  let carry: Buffer = NO_BYTES;
  let linesBefore = (options.continuedAtLine ?? 1) - 1;
  const bytesOf = options.continuedAtLine === undefined ? afterHead(source) : buffers(source);
  for await (const piece of bytesOf) {
    const bytes = carry.length === 0 ? piece : Buffer.concat([carry, piece]);
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

/** Options of {@link utf8Chunks}. */
export interface Utf8ChunksOptions {
  /**
   * The source continues a file from the start of this physical line (a segment read after
   * others): it has no head to check and no byte order mark, and error lines count from here.
   */
  readonly continuedAtLine?: number;
}

async function* buffers(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const piece of source) yield asBuffer(piece);
}

/**
 * The bytes of `source` as Buffers, once its first {@link HEAD_BYTES} (or all of a shorter
 * source) are checked: a foreign format throws, a byte order mark is removed.
 */
async function* afterHead(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let head: Buffer = NO_BYTES;
  let checked = false;
  for await (const piece of source) {
    const bytes = asBuffer(piece);
    if (checked) {
      yield bytes;
      continue;
    }
    head = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
    if (head.length < HEAD_BYTES) continue;
    checked = true;
    yield checkedHead(head);
  }
  if (!checked && head.length > 0) yield checkedHead(head);
}

function checkedHead(head: Buffer): Buffer {
  for (const { signature, reason } of FOREIGN_FORMATS) {
    if (head.subarray(0, signature.length).equals(signature)) {
      throw new CsvFileError('FILE_NOT_UTF8', 1, reason);
    }
  }
  const order = nulInterleavedOrder(head);
  if (order !== undefined) {
    throw new CsvFileError(
      'FILE_NOT_UTF8',
      1,
      `the file is UTF-16 text (${order}: a NUL byte beside each ASCII character, no byte order mark), not UTF-8: ${SAVE_AS_UTF8}`,
    );
  }
  const startsWithMark = head.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK);
  return startsWithMark ? head.subarray(BYTE_ORDER_MARK.length) : head;
}

/**
 * `little-endian` when the first {@link HEAD_BYTES} bytes are ASCII characters each followed
 * by a NUL, `big-endian` when each is preceded by one: how UTF-16 without a byte order mark
 * writes ASCII text, such as a CSV header. `undefined` otherwise.
 */
function nulInterleavedOrder(head: Buffer): 'little-endian' | 'big-endian' | undefined {
  if (head.length < HEAD_BYTES) return undefined;
  const isAscii = (byte: number | undefined): boolean =>
    byte !== undefined && byte >= 0x09 && byte <= 0x7e;
  const [a, b, c, d] = head;
  if (isAscii(a) && b === NUL && isAscii(c) && d === NUL) return 'little-endian';
  if (a === NUL && isAscii(b) && c === NUL && isAscii(d)) return 'big-endian';
  return undefined;
}

function asBuffer(piece: Uint8Array): Buffer {
  return Buffer.isBuffer(piece)
    ? piece
    : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
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
