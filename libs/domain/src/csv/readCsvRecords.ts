import { TallyUsageError } from '../errors/TallyUsageError';
import { CsvFileError } from './CsvFileError';
import { CsvRecordScanner } from './CsvRecordScanner';
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

const CARRIAGE_RETURN = 0x0d;
const LINE_FEED = 0x0a;

/**
 * Reads CSV records from a byte stream, one chunk at a time, exactly as csv-parser 3 reads them
 * (`headers: false`; {@link CsvRecordScanner} gives its rules at a fraction of its cost). The
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
  const scanner = new CsvRecordScanner(maxLineBytes, options.continuedAtLine ?? 1);
  let firstLine: FirstLineState = options.continuedAtLine === undefined ? 'open' : 'ended';
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
    const { records, failure } = scanner.push(chunk);
    if (records.length > 0) yield records;
    if (failure !== undefined) throw failure;
  }
  const { records, failure } = scanner.end();
  if (records.length > 0) yield records;
  if (failure !== undefined) throw failure;
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
