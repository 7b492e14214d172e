import { once } from 'node:events';
import csvParser from 'csv-parser';
import { TallyUsageError } from '../errors/TallyUsageError';
import { CsvFileError } from './CsvFileError';
import { countByte } from './countByte';
import { utf8Chunks } from './utf8Chunks';

/** One CSV record: its cells, and the physical line (1-based) where it starts. */
export interface CsvRecord {
  readonly line: number;
  readonly values: readonly string[];
}

/** Options of {@link readCsvRecords}. */
export interface ReadCsvRecordsOptions {
  /**
   * The most bytes one record may take, its line break included (a CRLF counts 2). Bounds the
   * reader's memory together with the size of the source's chunks.
   */
  readonly maxLineBytes: number;
  /**
   * The bytes continue a file from the start of this physical line, after the bytes other
   * segments read (see `untilRecordBoundary`): there is no header or byte order mark to expect,
   * and lines count from here.
   */
  readonly continuedAtLine?: number;
}

const DOUBLE_QUOTE = 0x22;
const CARRIAGE_RETURN = 0x0d;
const LINE_FEED = 0x0a;
/** The only error csv-parser raises when `strict` is off. */
const ROW_TOO_LONG_MESSAGE = 'Row exceeds the maximum size';

/**
 * Reads CSV records from a byte stream, one chunk at a time, with csv-parser as the engine. The
 * first record is the header. Follows RFC 4180: fields in double quotes may hold commas, line
 * breaks and doubled quotes; lines end with LF or CRLF. A UTF-8 byte order mark is removed.
 * A first line ending in a lone CR (old Mac line endings) is refused, not read as one endless
 * line. A quote anywhere in an unquoted field opens a quoted section, as in csv-parser: a stray
 * quote (`5" screen`) runs on, over line breaks, to the next quote.
 * Empty lines are skipped but still counted, so `line` is always the physical line where the
 * record starts, also after records with quoted line breaks. Quotes balanced within a field
 * are kept (`5"x"` reads as is).
 *
 * Yields the records completed by each chunk of the source as one array (never an empty one),
 * so a consumer awaits once per chunk rather than once per record; {@link readCsvRecords}
 * yields them one by one.
 *
 * Never holds the whole input: memory is bounded by `maxLineBytes` plus the chunk size.
 *
 * Throws {@link CsvFileError} when the rest of the file cannot be read: `FILE_NOT_UTF8` (invalid
 * UTF-8 or a NUL byte), `LINE_TOO_LONG` (a record longer than `maxLineBytes`) and
 * `FILE_MALFORMED_CSV` (a quote still open at the end of the input, or a lone CR in the first
 * line). Records before the failure have been yielded already.
 *
 * @example
 * ```ts
 * for await (const records of readCsvRecordBatches(s3Body, { maxLineBytes: 65_536 })) {
 *   for (const record of records) console.log(record.line, record.values);
 * }
 * ```
 */
export async function* readCsvRecordBatches(
  source: AsyncIterable<Uint8Array>,
  options: ReadCsvRecordsOptions,
): AsyncGenerator<CsvRecord[]> {
  const { maxLineBytes } = options;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new TallyUsageError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }
  const parser = csvParser({ headers: false, maxRowBytes: maxLineBytes });
  const parsed: Record<string, string>[] = [];
  parser.on('data', (row: Record<string, string>) => parsed.push(row));
  // Failures reach us through the write callback and `once`; this keeps the stream from
  // treating them as unhandled.
  parser.on('error', () => undefined);

  let quoteCount = 0;
  let lineFeedCount = 0;
  let rowCount = 0;
  /** Line feeds inside the values of the rows taken so far: each was quoted. */
  let quotedLineFeedCount = 0;
  let nextLine = options.continuedAtLine ?? 1;
  let lastRecordLine = nextLine;
  /**
   * Turns what csv-parser emitted so far into records; a row with no cell is an empty line.
   * `whileReading` says the rows were emitted by a write, not at the end of the input.
   */
  const takeRecords = (whileReading: boolean): CsvRecord[] => {
    const rowCountBefore = rowCount;
    rowCount += parsed.length;
    // Only a quoted field holds a line break. While reading, csv-parser emits a row at each
    // line feed outside quotes, so every other line feed written so far lies inside a quoted
    // value, of a row or of the record still open: when they are all accounted for already,
    // these rows hold none, and their values need no scan. The last row of the input may end
    // without a line feed, so at the end any quote read means a possible line break.
    const mayHoldLineBreaks = whileReading
      ? lineFeedCount - rowCountBefore - parsed.length !== quotedLineFeedCount
      : quoteCount > 0;
    const records: CsvRecord[] = [];
    for (const row of parsed) {
      const values = valuesOf(row);
      lastRecordLine = nextLine;
      const lineBreaks = mayHoldLineBreaks ? quotedLineBreaks(values) : 0;
      quotedLineFeedCount += lineBreaks;
      nextLine += 1 + lineBreaks;
      if (values.length > 0) records.push({ line: lastRecordLine, values });
    }
    parsed.length = 0;
    return records;
  };

  let firstLine: FirstLineState = options.continuedAtLine === undefined ? 'open' : 'ended';
  try {
    const chunks = utf8Chunks(
      source,
      options.continuedAtLine === undefined ? {} : { continuedAtLine: options.continuedAtLine },
    );
    for await (const chunk of chunks) {
      if (firstLine !== 'ended') {
        firstLine = firstLineStateAfter(chunk, firstLine);
        if (firstLine === 'lone-cr') {
          throw new CsvFileError(
            'FILE_MALFORMED_CSV',
            1,
            'the line ends in a lone carriage return (CR), as old Mac files do: lines must end in LF or CRLF',
          );
        }
      }
      quoteCount += countByte(chunk, DOUBLE_QUOTE);
      lineFeedCount += countByte(chunk, LINE_FEED);
      const failure = await writeChunk(parser, chunk);
      const records = takeRecords(true);
      if (records.length > 0) yield records;
      if (failure !== undefined) throw tooLongOrUnexpected(failure, nextLine, maxLineBytes);
    }
    const ended = once(parser, 'end');
    parser.end();
    await ended;
    // csv-parser toggles "inside quotes" on every quote that is not part of a doubled pair, so
    // an odd count means the input ends inside a quoted field, which it then emits as is.
    const records = takeRecords(false);
    if (quoteCount % 2 === 1) {
      if (records.length > 1) yield records.slice(0, -1);
      throw new CsvFileError(
        'FILE_MALFORMED_CSV',
        lastRecordLine,
        'a quote opened in the record starting on this line is never closed',
      );
    }
    if (records.length > 0) yield records;
  } finally {
    parser.destroy();
  }
}

/**
 * Reads CSV records one by one: {@link readCsvRecordBatches}, whose rules and failures apply,
 * with each batch taken apart.
 *
 * @example
 * ```ts
 * for await (const record of readCsvRecords(s3Body, { maxLineBytes: 65_536 })) {
 *   console.log(record.line, record.values);
 * }
 * ```
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  options: ReadCsvRecordsOptions,
): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRecordBatches(source, options)) yield* records;
}

function writeChunk(parser: NodeJS.WritableStream, chunk: Buffer): Promise<unknown> {
  return new Promise((resolve) => parser.write(chunk, (error) => resolve(error ?? undefined)));
}

function tooLongOrUnexpected(failure: unknown, line: number, maxLineBytes: number): unknown {
  if (failure instanceof Error && failure.message === ROW_TOO_LONG_MESSAGE) {
    return new CsvFileError(
      'LINE_TOO_LONG',
      line,
      `the record starting on this line is longer than ${maxLineBytes} bytes`,
      { cause: failure },
    );
  }
  return failure;
}

/**
 * The cells of a csv-parser row, in order. With `headers: false` a row's keys are its indexes
 * 0..n-1; reading them in a loop is several times faster than `Object.values`, which takes
 * V8's slow path for indexed keys.
 */
function valuesOf(row: Readonly<Record<number, string>>): string[] {
  const values: string[] = [];
  for (let value = row[0], index = 0; value !== undefined; value = row[++index]) {
    values.push(value);
  }
  return values;
}

/** Line feeds inside the values: they were quoted, and each one starts a physical line. */
function quotedLineBreaks(values: readonly string[]): number {
  let count = 0;
  for (const value of values) {
    let at = value.indexOf('\n');
    while (at !== -1) {
      count++;
      at = value.indexOf('\n', at + 1);
    }
  }
  return count;
}

/** How far the first line is read: `open-after-cr` means its last byte so far is a CR. */
type FirstLineState = 'open' | 'open-after-cr' | 'ended' | 'lone-cr';

/**
 * The state of the first line once `bytes` follow it. Only the first line is checked: a CR
 * followed by anything but LF there means the file's lines end in CR alone, which would
 * otherwise read as one line of the whole file (csv-parser splits on LF only).
 */
function firstLineStateAfter(bytes: Buffer, state: FirstLineState): FirstLineState {
  if (bytes.length === 0) return state;
  if (state === 'open-after-cr' && bytes[0] !== LINE_FEED) return 'lone-cr';
  const lineFeed = bytes.indexOf(LINE_FEED);
  const end = lineFeed === -1 ? bytes.length : lineFeed;
  for (let at = bytes.indexOf(CARRIAGE_RETURN); at !== -1 && at < end;) {
    if (at + 1 < bytes.length && bytes[at + 1] !== LINE_FEED) return 'lone-cr';
    at = bytes.indexOf(CARRIAGE_RETURN, at + 1);
  }
  if (lineFeed !== -1) return 'ended';
  return bytes[bytes.length - 1] === CARRIAGE_RETURN ? 'open-after-cr' : 'open';
}
