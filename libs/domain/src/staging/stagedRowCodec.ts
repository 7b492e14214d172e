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
/** Rows per flat piece of a chunk in progress: few objects to keep, short strings to join. */
const ROWS_PER_PIECE = 256;
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
/** A character to escape, or one that takes more than one byte in UTF-8. */
const NOT_PLAIN = /[\t\n\r\\\u0080-\uffff]/;
const BACKSLASH = /\\/;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

/** How one kind's rows become text after the line step, and back. */
interface RowFormat<K extends FileKind> {
  /**
   * Whether the row's references are ASCII with nothing to escape, as they nearly always are:
   * its text then needs no escaping and has as many UTF-8 bytes as characters.
   */
  readonly plain: (row: StagedRowOfKind[K]) => boolean;
  /** The row's text: the line step, then its fields passed through `field`, separated by tabs. */
  readonly encode: (
    row: StagedRowOfKind[K],
    lineStep: number,
    field: (text: string) => string,
  ) => string;
  /** The row of its fields (unescaped, the line step first), if they are valid. */
  readonly row: (line: number, fields: readonly string[]) => StagedRowOfKind[K] | undefined;
  /** Fields per encoded row, the line step included. */
  readonly fieldCount: number;
}

const FORMAT_OF: { readonly [K in FileKind]: RowFormat<K> } = {
  customers: {
    plain: (row) => !NOT_PLAIN.test(row.customerReference),
    encode: (row, lineStep, field) => `${lineStep}\t${field(row.customerReference)}`,
    row: (line, [, customerReference]) =>
      customerReference === undefined ? undefined : { line, customerReference },
    fieldCount: 2,
  },
  orders: {
    plain: (row) => !NOT_PLAIN.test(row.orderReference) && !NOT_PLAIN.test(row.customerReference),
    encode: (row, lineStep, field) =>
      `${lineStep}\t${field(row.orderReference)}\t${field(row.customerReference)}`,
    row: (line, [, orderReference, customerReference]) =>
      orderReference === undefined || customerReference === undefined
        ? undefined
        : { line, orderReference, customerReference },
    fieldCount: 3,
  },
  items: {
    plain: (row) => !NOT_PLAIN.test(row.orderReference),
    encode: (row, lineStep, field) =>
      `${lineStep}\t${field(row.orderReference)}\t${formatAmount(row.amount)}`,
    row: (line, [, orderReference, amountText]) => {
      const amount = amountText === undefined ? undefined : parseAmount(amountText);
      return orderReference === undefined || amount === undefined
        ? undefined
        : { line, orderReference, amount };
    },
    fieldCount: 3,
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
    lines.push(format.encode(row, row.line - previousLine, escaped));
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
 * KB, so one 300 KB item costs far less than thousands of tiny ones. Bytes are counted
 * exactly (a row of ASCII text has as many bytes as characters, others are measured with
 * `Buffer.byteLength`). A row larger than the budget on its own gets a chunk of its
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
   * The chunk's text so far, in pieces of {@link ROWS_PER_PIECE} rows. Each row's text is a
   * few small strings: holding thousands of them until the chunk is full made every scavenge
   * copy them and promote them to the old generation. One flat piece per hundreds of rows
   * leaves the rows to die young.
   */
  private pieces: string[] = [];
  /** The rows not yet joined into a piece. */
  private readonly rows: string[] = [];
  private rowCount = 0;
  private bytes = 0;
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
    const plain = this.format.plain(row);
    const field = plain ? asIs : escaped;
    let text = this.format.encode(row, row.line - this.previousLine, field);
    let rowBytes = plain ? text.length : Buffer.byteLength(text, 'utf8');
    let full: StagedRowsChunk | undefined;
    if (this.rowCount > 0 && this.bytes + ROW_SEPARATOR.length + rowBytes > this.maxChunkBytes) {
      full = this.flush();
      text = this.format.encode(row, row.line, field);
      rowBytes = plain ? text.length : Buffer.byteLength(text, 'utf8');
    }
    this.bytes += (this.rowCount > 0 ? ROW_SEPARATOR.length : 0) + rowBytes;
    this.rowCount++;
    this.rows.push(text);
    if (this.rows.length === ROWS_PER_PIECE) this.joinPiece();
    this.previousLine = row.line;
    return full;
  }

  /** Returns the chunk in progress, if it holds any row, and starts a new one. */
  flush(): StagedRowsChunk | undefined {
    if (this.rowCount === 0) return undefined;
    this.joinPiece();
    const chunk = { rows: this.pieces.join(ROW_SEPARATOR), rowCount: this.rowCount };
    this.pieces = [];
    this.rowCount = 0;
    this.bytes = 0;
    this.previousLine = 0;
    return chunk;
  }

  private joinPiece(): void {
    if (this.rows.length === 0) return;
    this.pieces.push(this.rows.join(ROW_SEPARATOR));
    this.rows.length = 0;
  }
}

const asIs = (field: string): string => field;

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
