import { isAscii } from 'node:buffer';
import { CsvFileError } from './CsvFileError';
import type { CsvRecord } from './readCsvRecords';

const QUOTE = '"';
const COMMA = ',';
const LINE_FEED = '\n';
const QUOTE_CODE = 0x22;
const COMMA_CODE = 0x2c;
const CARRIAGE_RETURN_CODE = 0x0d;
/** The most UTF-8 bytes one UTF-16 code unit takes (a surrogate pair, two units, takes 4). */
const MAX_BYTES_PER_CODE_UNIT = 3;

/** The records one chunk completed, and the failure that ends the input, if any. */
export interface ScannedRecords {
  readonly records: CsvRecord[];
  readonly failure?: CsvFileError;
}

/**
 * Splits UTF-8 text, chunk by chunk, into CSV records exactly as csv-parser 3 does with
 * `headers: false` (the engine Tally read CSV with before, whose readings the tests pin), at a
 * fraction of its cost: each chunk is decoded once, records and cells are found with native
 * `indexOf` scans, and the rare record holding a quote takes csv-parser's own rules:
 *
 * - A line feed ends a record when an even number of quotes precede it in the input (every
 *   quote that is not part of a doubled pair opens or closes a quoted section), so a quote
 *   anywhere opens one. A CR before that line feed is dropped.
 * - In a record, a quote outside a quoted section opens one; inside, a quote before a comma
 *   closes it, a doubled quote is kept, and any other quote is kept as it is. Commas outside
 *   quoted sections separate cells. A cell that starts and ends with a quote loses both, and
 *   each doubled quote in it becomes one. A record ending in a comma has an empty last cell; an
 *   empty record has none (an empty line: counted, not yielded).
 * - A record of more than `maxLineBytes` bytes, line break included, fails with
 *   `LINE_TOO_LONG` as soon as its bytes pass that (also before it ends); input that ends
 *   inside a quoted section fails with `FILE_MALFORMED_CSV` at the line its record starts.
 *
 * Every chunk must end on a character boundary (as `utf8Chunks` yields them).
 */
export class CsvRecordScanner {
  /** The text of the record in progress: the input after the last record that ended. */
  private rest = '';
  private restIsAscii = true;
  /** Whether `rest` ends inside a quoted section. */
  private quoted = false;
  /** Line feeds inside quoted sections of `rest`. */
  private quotedLineFeeds = 0;
  /** Whether `rest` holds a quote. */
  private restHasQuote = false;
  /** The physical line where the next record starts. */
  private nextLine: number;

  constructor(
    private readonly maxLineBytes: number,
    firstLine: number,
  ) {
    this.nextLine = firstLine;
  }

  /** Reads one more chunk of the input; returns the records it completes. */
  push(chunk: Buffer): ScannedRecords {
    const ascii = isAscii(chunk);
    // latin1 is the fastest decoding and exact for ASCII.
    const decoded = chunk.toString(ascii ? 'latin1' : 'utf8');
    const text = this.rest.length === 0 ? decoded : this.rest + decoded;
    const textIsAscii = this.restIsAscii && ascii;
    const records: CsvRecord[] = [];
    let quoted = this.quoted;
    let quotedLineFeeds = this.quotedLineFeeds;
    let hasQuote = this.restHasQuote;
    let start = 0;
    // `rest` was scanned already: its quotes and line feeds are counted in the state above.
    let quote = text.indexOf(QUOTE, this.rest.length);
    for (let lineFeed = text.indexOf(LINE_FEED, this.rest.length); lineFeed !== -1;) {
      while (quote !== -1 && quote < lineFeed) {
        quoted = !quoted;
        hasQuote = true;
        quote = text.indexOf(QUOTE, quote + 1);
      }
      if (quoted) {
        quotedLineFeeds++;
        lineFeed = text.indexOf(LINE_FEED, lineFeed + 1);
        continue;
      }
      if (this.tooLong(text, start, lineFeed + 1, textIsAscii)) {
        this.rest = '';
        return { records, failure: this.lineTooLong() };
      }
      const values = hasQuote
        ? cellsWithQuotes(text, start, contentEnd(text, start, lineFeed))
        : plainCells(text, start, contentEnd(text, start, lineFeed));
      if (values.length > 0) records.push({ line: this.nextLine, values });
      this.nextLine += 1 + quotedLineFeeds;
      quotedLineFeeds = 0;
      hasQuote = false;
      start = lineFeed + 1;
      lineFeed = text.indexOf(LINE_FEED, start);
    }
    while (quote !== -1) {
      quoted = !quoted;
      hasQuote = true;
      quote = text.indexOf(QUOTE, quote + 1);
    }
    this.rest = start === 0 ? text : text.slice(start);
    this.restIsAscii = this.rest.length === 0 || textIsAscii;
    this.quoted = quoted;
    this.quotedLineFeeds = quotedLineFeeds;
    this.restHasQuote = hasQuote;
    if (this.tooLong(this.rest, 0, this.rest.length, this.restIsAscii)) {
      this.rest = '';
      return { records, failure: this.lineTooLong() };
    }
    return { records };
  }

  /** Ends the input: returns its last record, which has no line break after it, if any. */
  end(): ScannedRecords {
    const text = this.rest;
    this.rest = '';
    if (text.length === 0) return { records: [] };
    const line = this.nextLine;
    if (this.quoted) {
      // csv-parser reads the rest as one record, its quote left open.
      return {
        records: [],
        failure: new CsvFileError(
          'FILE_MALFORMED_CSV',
          line,
          'a quote opened in the record starting on this line is never closed',
        ),
      };
    }
    const values = this.restHasQuote
      ? cellsWithQuotes(text, 0, contentEnd(text, 0, text.length))
      : plainCells(text, 0, contentEnd(text, 0, text.length));
    return { records: values.length > 0 ? [{ line, values }] : [] };
  }

  /** Whether `text[start, end)` takes more than `maxLineBytes` bytes in UTF-8. */
  private tooLong(text: string, start: number, end: number, ascii: boolean): boolean {
    const length = end - start;
    if (length <= this.maxLineBytes / MAX_BYTES_PER_CODE_UNIT) return false;
    if (ascii) return length > this.maxLineBytes;
    return Buffer.byteLength(text.slice(start, end), 'utf8') > this.maxLineBytes;
  }

  private lineTooLong(): CsvFileError {
    return new CsvFileError(
      'LINE_TOO_LONG',
      this.nextLine,
      `the record starting on this line is longer than ${this.maxLineBytes} bytes`,
    );
  }
}

/** Where a record's content ends: before its line break, and before a CR that precedes it. */
function contentEnd(text: string, start: number, lineBreak: number): number {
  return lineBreak > start && text.charCodeAt(lineBreak - 1) === CARRIAGE_RETURN_CODE
    ? lineBreak - 1
    : lineBreak;
}

/** The cells of `text[start, end)`, which holds no quote: split at every comma. */
function plainCells(text: string, start: number, end: number): string[] {
  const values: string[] = [];
  if (end === start) return values;
  let cellStart = start;
  for (let comma = text.indexOf(COMMA, start); comma !== -1 && comma < end;) {
    values.push(text.slice(cellStart, comma));
    cellStart = comma + 1;
    comma = text.indexOf(COMMA, cellStart);
  }
  values.push(text.slice(cellStart, end));
  return values;
}

/**
 * The cells of `text[start, end)`, which holds a quote, by csv-parser's `parseLine`. The
 * character at `end` is a line break or none, never a quote or a comma, so a quote's next
 * character needs no bounds check.
 */
function cellsWithQuotes(text: string, start: number, end: number): string[] {
  const values: string[] = [];
  let inQuotes = false;
  let cellStart = start;
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE_CODE) {
      const next = text.charCodeAt(at + 1);
      if (!inQuotes || next === COMMA_CODE) inQuotes = !inQuotes;
      else if (next === QUOTE_CODE) at++;
      continue;
    }
    if (code === COMMA_CODE && !inQuotes) {
      values.push(cellOf(text, cellStart, at));
      cellStart = at + 1;
    }
  }
  if (cellStart < end) values.push(cellOf(text, cellStart, end));
  if (end > start && text.charCodeAt(end - 1) === COMMA_CODE) values.push('');
  return values;
}

/**
 * One cell's value, by csv-parser's `parseCell`: quotes around the whole cell removed, then
 * each doubled quote made one.
 */
function cellOf(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  if (text.charCodeAt(from) === QUOTE_CODE && text.charCodeAt(to - 1) === QUOTE_CODE) {
    from++;
    to--;
  }
  // When the cell is one quote, `to` is below `from` and the slice is empty.
  const cell = text.slice(from, to);
  return cell.includes('""') ? cell.replaceAll('""', '"') : cell;
}
