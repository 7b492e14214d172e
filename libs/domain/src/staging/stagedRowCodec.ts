import type { FileKind } from '../batch/fileKind';
import { TallyError } from '../errors/TallyError';
import { TallyUsageError } from '../errors/TallyUsageError';
import type { Amount } from '../messages/outputMessageTypes';
import { formatAmount, parseAmount, parseMillionths } from '../money/amount';
import type { StagedRowOfKind } from './stagedRowTypes';

/**
 * Staged text that does not decode: written by another format version or damaged in storage.
 * Not an input problem a user can fix, so it has no code from `ERROR_CATALOGUE`.
 */
export class StagedRowsCorruptError extends TallyError {}

const ROW_SEPARATOR = '\n';
const FIELD_SEPARATOR = '\t';
const NEEDS_ESCAPE = /[\t\n\r\\]/;
const ESCAPED = /\\(.)/g;
const ESCAPE_OF: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\\': '\\\\',
};
const UNESCAPE_OF: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', '\\': '\\' };
const BACKSLASH = /\\/;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

/** How one kind's rows become text after the line step, and back. */
interface RowFormat<K extends FileKind> {
  /** The row's text: the line step, then its fields escaped, separated by tabs. */
  readonly encode: (row: StagedRowOfKind[K], lineStep: number) => string;
  /** The row of its fields (unescaped, the line step first), if they are valid. */
  readonly row: (line: number, fields: readonly string[]) => StagedRowOfKind[K] | undefined;
  /** Fields per encoded row, the line step included. */
  readonly fieldCount: number;
  /**
   * Writes the row's text (as `encode` with escaping gives it) into `out` from byte `at`;
   * returns where it ends.
   */
  readonly write: (
    out: ChunkBytes,
    row: StagedRowOfKind[K],
    lineStep: number,
    at: number,
  ) => number;
}

const FORMAT_OF: { readonly [K in FileKind]: RowFormat<K> } = {
  customers: {
    encode: (row, lineStep) => `${lineStep}\t${escaped(row.customerReference)}`,
    row: (line, [, customerReference]) =>
      customerReference === undefined ? undefined : { line, customerReference },
    fieldCount: 2,
    write: (out, row, lineStep, at) => {
      out.reserve(at + MAX_NUMBER_BYTES + 1 + out.boundOf(row.customerReference));
      return out.text(row.customerReference, out.tab(out.whole(lineStep, at)));
    },
  },
  orders: {
    encode: (row, lineStep) =>
      `${lineStep}\t${escaped(row.orderReference)}\t${escaped(row.customerReference)}`,
    row: (line, [, orderReference, customerReference]) =>
      orderReference === undefined || customerReference === undefined
        ? undefined
        : { line, orderReference, customerReference },
    fieldCount: 3,
    write: (out, row, lineStep, at) => {
      out.reserve(
        at +
          MAX_NUMBER_BYTES +
          2 +
          out.boundOf(row.orderReference) +
          out.boundOf(row.customerReference),
      );
      const afterOrder = out.text(row.orderReference, out.tab(out.whole(lineStep, at)));
      return out.text(row.customerReference, out.tab(afterOrder));
    },
  },
  items: {
    encode: (row, lineStep) =>
      `${lineStep}\t${escaped(row.orderReference)}\t${formatAmount(row.amount)}`,
    row: (line, [, orderReference, amountText]) => {
      const amount = amountText === undefined ? undefined : parseAmount(amountText);
      return orderReference === undefined || amount === undefined
        ? undefined
        : { line, orderReference, amount };
    },
    fieldCount: 3,
    write: (out, row, lineStep, at) => {
      const amount = formatAmount(row.amount);
      out.reserve(at + MAX_NUMBER_BYTES + 2 + out.boundOf(row.orderReference) + amount.length);
      const afterOrder = out.text(row.orderReference, out.tab(out.whole(lineStep, at)));
      return out.ascii(amount, out.tab(afterOrder));
    },
  },
};

/**
 * Encodes staged rows as compact text: one row per line, fields separated by tabs. The first
 * field is the row's line as the difference from the previous row's line (usually `1`), so a
 * chunk of rows costs a few bytes per row beyond its references; amounts are written as exact
 * decimals (`19.99`). Tabs, line breaks and backslashes inside references are escaped (`\t`,
 * `\n`, `\r`, `\\`), so any Unicode reference round-trips.
 *
 * @example
 * ```ts
 * encodeStagedRows('items', [{ line: 2, orderReference: 'O1', amount: 19_990_000n }]); // '2\tO1\t19.99'
 * ```
 */
export function encodeStagedRows<K extends FileKind>(
  kind: K,
  rows: readonly StagedRowOfKind[K][],
): string {
  const format: RowFormat<K> = FORMAT_OF[kind];
  let previousLine = 0;
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(format.encode(row, row.line - previousLine));
    previousLine = row.line;
  }
  return lines.join(ROW_SEPARATOR);
}

/**
 * Decodes text written by {@link encodeStagedRows} (or one chunk of {@link StagedChunkBuilder}).
 * Throws {@link StagedRowsCorruptError} when the text is not such rows of `kind`.
 *
 * @example
 * ```ts
 * decodeStagedRows('customers', '2\tC1\n1\tC2'); // [{ line: 2, customerReference: 'C1' }, { line: 3, customerReference: 'C2' }]
 * ```
 */
export function decodeStagedRows<K extends FileKind>(kind: K, text: string): StagedRowOfKind[K][] {
  const format: RowFormat<K> = FORMAT_OF[kind];
  const rows: StagedRowOfKind[K][] = [];
  scanStagedRows(kind, text, (line, fields) => {
    const row = format.row(line, fields);
    if (row !== undefined) rows.push(row);
    return row !== undefined;
  });
  return rows;
}

/**
 * Reads items' text written by {@link encodeStagedRows} as {@link decodeStagedRows} does, with
 * its checks, but hands each item to `visit` as it goes rather than building an array of row
 * objects: a chunk's items then die young. The amount comes as `parseMillionths` reads it: a
 * Number of millionths for a price below 10^9 (exact), else an `Amount`.
 *
 * @example
 * ```ts
 * forEachStagedItem('2\tO1\t19.99', (line, orderReference, amount) => add(orderReference, amount)); // 2, 'O1', 19_990_000
 * ```
 */
export function forEachStagedItem(
  text: string,
  visit: (line: number, orderReference: string, amount: number | Amount) => void,
): void {
  scanStagedRows('items', text, (line, [, orderReference, amountText]) => {
    const amount = amountText === undefined ? undefined : parseMillionths(amountText);
    if (orderReference === undefined || amount === undefined) return false;
    visit(line, orderReference, amount);
    return true;
  });
}

/**
 * Splits staged text into rows and fields (unescaped), checks the line step and the field count
 * of `kind`, and passes each row's line and fields to `take`, which returns whether they are
 * valid. The fields array is reused for every row. Throws {@link StagedRowsCorruptError} at the
 * first row that is not valid.
 */
function scanStagedRows(
  kind: FileKind,
  text: string,
  take: (line: number, fields: readonly string[]) => boolean,
): void {
  if (text === '') return;
  const { fieldCount } = FORMAT_OF[kind];
  // Escapes are rare: one scan of the chunk spares an unescape check per field. A regex, as
  // `includes` and `indexOf` on the whole chunk made V8's later scans of it ten times slower.
  const unescape = BACKSLASH.test(text);
  const fields: string[] = [];
  let line = 0;
  for (let start = 0, index = 0; start <= text.length; index++) {
    const rowEnd = indexOrEnd(text, ROW_SEPARATOR, start);
    fields.length = 0;
    for (let fieldStart = start; ;) {
      const fieldEnd = Math.min(indexOrEnd(text, FIELD_SEPARATOR, fieldStart), rowEnd);
      const field = text.slice(fieldStart, fieldEnd);
      fields.push(unescape ? unescaped(field) : field);
      if (fieldEnd === rowEnd) break;
      fieldStart = fieldEnd + 1;
    }
    const lineStep = wholeNumberOf(fields[0] ?? '');
    line += lineStep ?? 0;
    if (fields.length !== fieldCount || lineStep === undefined || !take(line, fields)) {
      throw new StagedRowsCorruptError(
        `staged ${kind} row ${index + 1} does not decode: ${JSON.stringify(text.slice(start, Math.min(rowEnd, start + 200)))}`,
      );
    }
    start = rowEnd + 1;
  }
}

/** A chunk of encoded rows, ready to store as one item. */
export interface StagedRowsChunk {
  /** The rows as {@link encodeStagedRows} writes them. */
  readonly rows: string;
  readonly rowCount: number;
}

/**
 * Packs staged rows into chunks of at most `maxChunkBytes` UTF-8 bytes (the staging store's
 * `maxChunkBytes`), to store many rows per item: stores such as DynamoDB bill writes per started
 * KB, so one 300 KB item costs far less than thousands of tiny ones. Rows are written as
 * UTF-8 bytes, so the budget is kept exactly. A row larger than the budget on its own gets a chunk of its
 * own; a row stays far below DynamoDB's 400 KB because `validateFile` rejects references longer
 * than `MAX_REFERENCE_LENGTH` (the line length alone, 1 MiB by default, would not bound it).
 *
 * @example
 * ```ts
 * const builder = new StagedChunkBuilder('orders', { maxChunkBytes: 300_000 });
 * for (const row of rows) {
 *   const full = builder.add(row);
 *   if (full) await store(full.rows, full.rowCount);
 * }
 * const last = builder.flush();
 * if (last) await store(last.rows, last.rowCount);
 * ```
 */
export class StagedChunkBuilder<K extends FileKind> {
  private readonly format: RowFormat<K>;
  private readonly maxChunkBytes: number;
  /**
   * The chunk's UTF-8 bytes so far. Rows are written straight into them and the chunk becomes
   * one flat string when it is full: short strings per row, kept until the chunk is full, made
   * every scavenge copy them and promote them to the old generation.
   */
  private readonly out = new ChunkBytes();
  /** Bytes of the rows added to the chunk in progress, separators included. */
  private length = 0;
  private rowCount = 0;
  private previousLine = 0;

  constructor(kind: K, options: { readonly maxChunkBytes: number }) {
    const maxChunkBytes = options.maxChunkBytes;
    if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes < 1) {
      throw new TallyUsageError(`maxChunkBytes must be a positive integer, got ${maxChunkBytes}`);
    }
    this.format = FORMAT_OF[kind];
    this.maxChunkBytes = maxChunkBytes;
  }

  /** Adds a row. Returns the chunk it completes when the row no longer fits in the current one. */
  add(row: StagedRowOfKind[K]): StagedRowsChunk | undefined {
    // After the separator, which is written once the row is known to fit.
    const start = this.rowCount > 0 ? this.length + ROW_SEPARATOR.length : 0;
    let end = this.format.write(this.out, row, row.line - this.previousLine, start);
    let full: StagedRowsChunk | undefined;
    if (this.rowCount > 0 && end > this.maxChunkBytes) {
      full = this.flush();
      end = this.format.write(this.out, row, row.line, 0);
    }
    if (this.rowCount > 0) this.out.separator(this.length);
    this.length = end;
    this.rowCount++;
    this.previousLine = row.line;
    return full;
  }

  /** Returns the chunk in progress, if it holds any row, and starts a new one. */
  flush(): StagedRowsChunk | undefined {
    if (this.rowCount === 0) return undefined;
    const chunk = { rows: this.out.take(this.length), rowCount: this.rowCount };
    this.length = 0;
    this.rowCount = 0;
    this.previousLine = 0;
    return chunk;
  }
}

/** The most bytes a line step takes: a safe integer with its sign. */
const MAX_NUMBER_BYTES = 17;
/** The bytes a chunk in progress starts with; they double as rows need. */
const INITIAL_CHUNK_BYTES = 16 * 1024;
const TAB_BYTE = 0x09;
const LINE_FEED_BYTE = 0x0a;
const CARRIAGE_RETURN_BYTE = 0x0d;
const BACKSLASH_BYTE = 0x5c;
const DIGIT_0_BYTE = 0x30;
const FIRST_NON_ASCII = 0x80;

/**
 * A growing byte buffer that rows are written into as UTF-8, fields escaped as
 * {@link encodeStagedRows} escapes them. Plain ASCII text (nearly every reference) is copied
 * code unit by code unit, with no string made per field or row.
 */
class ChunkBytes {
  private bytes = Buffer.allocUnsafe(INITIAL_CHUNK_BYTES);
  /** Whether every byte written since the last `take` is ASCII. */
  private asciiOnly = true;

  /** The most bytes `text` takes once escaped: 3 per UTF-16 code unit. */
  boundOf(text: string): number {
    return 3 * text.length;
  }

  /** Makes room for bytes up to `end`, keeping those written. */
  reserve(end: number): void {
    if (end <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < end) size *= 2;
    const larger = Buffer.allocUnsafe(size);
    this.bytes.copy(larger);
    this.bytes = larger;
  }

  separator(at: number): void {
    this.bytes[at] = LINE_FEED_BYTE;
  }

  tab(at: number): number {
    this.bytes[at] = TAB_BYTE;
    return at + 1;
  }

  /** Writes an integer in decimal. */
  whole(value: number, at: number): number {
    if (value >= 0 && value < 10) {
      this.bytes[at] = DIGIT_0_BYTE + value;
      return at + 1;
    }
    return this.ascii(String(value), at);
  }

  /** Writes text known to be ASCII with nothing to escape. */
  ascii(text: string, at: number): number {
    const bytes = this.bytes;
    for (let index = 0; index < text.length; index++) bytes[at + index] = text.charCodeAt(index);
    return at + text.length;
  }

  /** Writes a field's text, escaped, as UTF-8. */
  text(text: string, at: number): number {
    const bytes = this.bytes;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (
        code >= FIRST_NON_ASCII ||
        code === TAB_BYTE ||
        code === LINE_FEED_BYTE ||
        code === CARRIAGE_RETURN_BYTE ||
        code === BACKSLASH_BYTE
      ) {
        if (code >= FIRST_NON_ASCII) this.asciiOnly = false;
        return at + bytes.write(escaped(text), at, 'utf8');
      }
      bytes[at + index] = code;
    }
    return at + text.length;
  }

  /** The text of bytes `[0, length)`; the next chunk is written over them. */
  take(length: number): string {
    const text = this.bytes.toString(this.asciiOnly ? 'latin1' : 'utf8', 0, length);
    this.asciiOnly = true;
    return text;
  }
}

/** Where `separator` next occurs from `from`, or the end of `text`. */
function indexOrEnd(text: string, separator: string, from: number): number {
  const at = text.indexOf(separator, from);
  return at === -1 ? text.length : at;
}

/** The value of an optionally signed run of decimal digits, or `undefined` for anything else. */
function wholeNumberOf(text: string): number | undefined {
  const first = text.charCodeAt(0) === MINUS ? 1 : 0;
  if (text.length === first) return undefined;
  for (let at = first; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < DIGIT_0 || code > DIGIT_9) return undefined;
  }
  return Number(text);
}

function escaped(field: string): string {
  return NEEDS_ESCAPE.test(field)
    ? field.replace(/[\t\n\r\\]/g, (character) => ESCAPE_OF[character] ?? character)
    : field;
}

function unescaped(field: string): string {
  return field.includes('\\')
    ? field.replace(ESCAPED, (sequence, character: string) => UNESCAPE_OF[character] ?? sequence)
    : field;
}
