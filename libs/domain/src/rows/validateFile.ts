import type { FileKind } from '../batch/fileKind';
import { CsvFileError } from '../csv/CsvFileError';
import type { CsvRecord } from '../csv/readCsvRecords';
import { boundedValue, quotedValue } from '../errors/boundedValue';
import type { RowError } from '../errors/RowError';
import { TallyUsageError } from '../errors/TallyUsageError';
import { MAX_PRICE_FRACTION_DIGITS, MAX_PRICE_INTEGER_DIGITS, parseAmount } from '../money/amount';
import type { StagedRowOfKind } from '../staging/stagedRowTypes';
import type { FieldError, RowValidators } from '../validation/RowValidator';
import type { RowOfKind } from './rowTypes';
import { MAX_REFERENCE_LENGTH, REFERENCE_COLUMNS, REQUIRED_COLUMNS } from './rowTypes';

/** What {@link validateRecordBatches} needs. */
export interface ValidateRecordBatchesInput<K extends FileKind> {
  readonly kind: K;
  /** The file name within the batch folder, for messages, e.g. `orders.csv`. */
  readonly file: string;
  /** The file's records in batches, header first, e.g. from `readCsvRecordBatches`. */
  readonly records: AsyncIterable<readonly CsvRecord[]>;
  readonly validators: RowValidators;
  /** How many row errors to report one by one before the rest are only counted. */
  readonly maxRowErrors: number;
  /**
   * Goes on where an earlier segment of the file stopped: its header and counts. `records` then
   * start after a record boundary, with no header.
   */
  readonly resume?: FileValidationProgress;
}

/** Where the validation of a file stands after some of its records: what a segment carries on. */
export interface FileValidationProgress {
  readonly header: FileHeader;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Row errors found, reported or not. */
  readonly rowErrors: number;
}

/** A valid header: how many fields each row must have, and where the required columns sit. */
export interface FileHeader {
  readonly width: number;
  readonly at: readonly [number, number, number, number];
}

/** What {@link validateFile} needs: the records come one by one. */
export interface ValidateFileInput<K extends FileKind> extends Omit<
  ValidateRecordBatchesInput<K>,
  'records'
> {
  /** The file's records, header first, e.g. from `readCsvRecords`. */
  readonly records: AsyncIterable<CsvRecord>;
}

/** How many repeated column names a `FILE_DUPLICATE_COLUMNS` message lists before "and N more". */
const MAX_NAMES_LISTED = 5;

/** One accepted row, ready to stage, or one problem found. */
export type FileValidationEvent<K extends FileKind> =
  | { readonly type: 'row'; readonly row: StagedRowOfKind[K] }
  | { readonly type: 'error'; readonly error: RowError };

/**
 * The accepted rows and the problems found in one batch of records, each list in file order.
 * A batch's rows and errors are not ordered against each other.
 */
export interface FileValidationBatch<K extends FileKind> {
  readonly rows: readonly StagedRowOfKind[K][];
  readonly errors: readonly RowError[];
}

/** What {@link validateRecordBatches} and {@link validateFile} return once the records are read. */
export interface FileValidationSummary {
  /** Data records read (the header and empty lines not counted), earlier segments included. */
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Row errors found, reported one by one or not (past `maxRowErrors`). */
  readonly rowErrors: number;
  /** The file's header, once read (absent when the file has none). */
  readonly header?: FileHeader;
  /** Set when the whole file is rejected; also yielded as an error event. */
  readonly fileError?: RowError;
}

/** Where each required column sits in a row, in the order of `REQUIRED_COLUMNS`. */
type ColumnIndexes = FileHeader['at'];

/** The domain's own rules per kind, on top of the validators: staging and unique references. */
interface KindRules<K extends FileKind> {
  /**
   * The cells the validator gets: the required columns, read at `at`. An object literal per
   * kind, so every row of a kind has the same shape.
   */
  readonly cells: (values: readonly string[], at: ColumnIndexes) => Record<string, string>;
  readonly stage: (row: RowOfKind[K], line: number) => StagedRowOfKind[K] | FieldError;
}

const KIND_RULES: { readonly [K in FileKind]: KindRules<K> } = {
  customers: {
    cells: (values, [reference, firstName, lastName, status]) => ({
      customer_reference: values[reference] ?? '',
      first_name: values[firstName] ?? '',
      last_name: values[lastName] ?? '',
      status: values[status] ?? '',
    }),
    stage: (row, line) => ({ line, customerReference: row.customer_reference }),
  },
  orders: {
    cells: (values, [reference, customer, status, timestamp]) => ({
      order_reference: values[reference] ?? '',
      customer_reference: values[customer] ?? '',
      order_status: values[status] ?? '',
      order_timestamp: values[timestamp] ?? '',
    }),
    stage: (row, line) => ({
      line,
      orderReference: row.order_reference,
      customerReference: row.customer_reference,
    }),
  },
  items: {
    cells: (values, [reference, name, quantity, price]) => ({
      order_reference: values[reference] ?? '',
      item_name: values[name] ?? '',
      quantity: values[quantity] ?? '',
      total_price: values[price] ?? '',
    }),
    stage: (row, line) => {
      const amount = parseAmount(row.total_price);
      if (amount === undefined) {
        return {
          code: 'VALUE_INVALID_DECIMAL',
          column: 'total_price',
          value: row.total_price,
          reason: `must be a non-negative decimal with at most ${MAX_PRICE_INTEGER_DIGITS} digits before the point and ${MAX_PRICE_FRACTION_DIGITS} after it`,
        };
      }
      return { line, orderReference: row.order_reference, amount };
    },
  },
};

/**
 * Validates one CSV file of a batch, streaming: yields, for each batch of records, the accepted
 * rows as staged rows and the problems as {@link RowError}s, and returns a summary. Each batch
 * is checked synchronously: the caller awaits once per batch, not once per row.
 *
 * - The header names the columns, in any order; extra columns are ignored and unnamed (empty)
 *   header cells are allowed, e.g. from trailing commas. Names match exactly (case and spaces).
 * - The whole file is rejected, with one error and no rows, when it has no header
 *   (`FILE_EMPTY`), lacks required columns (`FILE_MISSING_COLUMNS`, all of them named in
 *   `column`, joined with `, `) or repeats a column name (`FILE_DUPLICATE_COLUMNS`). A header
 *   alone is a valid file with no rows. When the required names are there but separated by
 *   semicolons or tabs (a file exported with another delimiter), or differ only in case or
 *   surrounding spaces, the `FILE_MISSING_COLUMNS` message says so and names the header cells.
 * - A row with another field count than the header is rejected (`ROW_FIELD_COUNT`); when the
 *   record spans several lines (a quote opened and closed further down), holds only white space
 *   or holds a lone CR, the message says so, since that is then the likely cause. Other rows
 *   go to `validators[kind]` with the required columns only; each field error becomes one
 *   error naming the file, line, column, value and reason. Prices must also fit an `Amount`,
 *   and references may hold at most {@link MAX_REFERENCE_LENGTH} characters (`VALUE_TOO_LONG`).
 *   A price rejected for a decimal comma (`1,50`) is told so, with the price to write instead.
 * - Repeated references are not checked here: that needs every row of the batch at once, and
 *   the aggregation finds them where the rows meet (`DUPLICATE_REFERENCE`, first line wins).
 *   So reading keeps no state that grows with the file.
 * - After `maxRowErrors` row errors, further row errors are counted (`rowErrors`), not yielded;
 *   once the whole file is read, {@link tooManyRowErrors} gives the summary that says how many
 *   were left out. Accepted rows keep flowing.
 * - Values repeated in errors are bounded to 200 characters plus `…`.
 * - A {@link CsvFileError} from `records` (invalid UTF-8, an unclosed quote, a too long line)
 *   ends the file: it becomes `fileError` and the last error.
 * - With `resume`, the records continue a file after a record boundary (a segment read after
 *   others): no header is expected, and counts and the row-error cap go on from `resume`.
 *   Counts then include the rows read before it, but the file is rejected as a whole: the
 *   caller must discard every row already yielded. Other failures of `records` are rethrown.
 *
 * @example
 * ```ts
 * const batches = validateRecordBatches({ kind: 'items', file: 'items.csv', records, validators, maxRowErrors: 100 });
 * let next = await batches.next();
 * for (; !next.done; next = await batches.next()) {
 *   for (const row of next.value.rows) stage(row);
 *   for (const error of next.value.errors) report(error);
 * }
 * const summary = next.value; // { rowsRead, accepted, rejected, rowErrors, header, fileError? }
 * ```
 */
export async function* validateRecordBatches<K extends FileKind>(
  input: ValidateRecordBatchesInput<K>,
): AsyncGenerator<FileValidationBatch<K>, FileValidationSummary, undefined> {
  const { kind, file, maxRowErrors } = input;
  if (!Number.isSafeInteger(maxRowErrors) || maxRowErrors < 0) {
    throw new TallyUsageError(`maxRowErrors must be a whole number >= 0, got ${maxRowErrors}`);
  }
  const check = rowCheckOf(input);
  let rowsRead = input.resume?.rowsRead ?? 0;
  let accepted = input.resume?.accepted ?? 0;
  let rejected = input.resume?.rejected ?? 0;
  let rowErrors = input.resume?.rowErrors ?? 0;
  let header: FileHeader | undefined = input.resume?.header;
  let fileError: RowError | undefined;

  try {
    for await (const records of input.records) {
      const rows: StagedRowOfKind[K][] = [];
      const errors: RowError[] = [];
      for (const { line, values } of records) {
        if (header === undefined) {
          const read = headerOf(kind, file, line, values);
          if ('error' in read) {
            fileError = read.error;
            break;
          }
          header = read;
          continue;
        }
        rowsRead++;
        const outcome = check(line, values, header);
        if (!isRejection(outcome)) {
          accepted++;
          rows.push(outcome);
          continue;
        }
        rejected++;
        for (const error of outcome) {
          rowErrors++;
          if (rowErrors <= maxRowErrors) errors.push(error);
        }
      }
      if (fileError !== undefined) break;
      if (rows.length > 0 || errors.length > 0) yield { rows, errors };
    }
    if (header === undefined && fileError === undefined && input.resume === undefined) {
      fileError = { code: 'FILE_EMPTY', file, message: `${file}: the file has no header line` };
    }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    fileError = {
      code: error.code,
      file,
      line: error.line,
      message: `${file} line ${error.line}: ${error.message}`,
    };
  }

  if (fileError !== undefined) yield { rows: [], errors: [fileError] };
  return {
    rowsRead,
    accepted,
    rejected,
    rowErrors,
    ...(header !== undefined && { header }),
    ...(fileError !== undefined && { fileError }),
  };
}

/**
 * The `TOO_MANY_ROW_ERRORS` error that closes a whole file whose row errors passed the cap,
 * saying how many were not reported; `undefined` when all were.
 *
 * @example
 * tooManyRowErrors('items.csv', 1500, 1000)?.message; // 'items.csv: 500 more row errors were not reported, after the first 1000'
 */
export const tooManyRowErrors = (
  file: string,
  rowErrors: number,
  maxRowErrors: number,
): RowError | undefined => {
  if (rowErrors <= maxRowErrors) return undefined;
  const left = rowErrors - maxRowErrors;
  return {
    code: 'TOO_MANY_ROW_ERRORS',
    file,
    message: `${file}: ${left} more row ${left === 1 ? 'error was' : 'errors were'} not reported, after the first ${maxRowErrors}`,
  };
};

/**
 * Validates one whole CSV file of a batch record by record: {@link validateRecordBatches}, whose
 * rules apply, yielding each accepted row and each problem as its own event, in file order,
 * and last the {@link tooManyRowErrors} summary when the cap was passed.
 *
 * @example
 * ```ts
 * const events = validateFile({ kind: 'items', file: 'items.csv', records, validators, maxRowErrors: 100 });
 * let next = await events.next();
 * for (; !next.done; next = await events.next()) {
 *   if (next.value.type === 'row') stage(next.value.row);
 *   else report(next.value.error);
 * }
 * const summary = next.value; // { rowsRead, accepted, rejected, fileError? }
 * ```
 */
export async function* validateFile<K extends FileKind>(
  input: ValidateFileInput<K>,
): AsyncGenerator<FileValidationEvent<K>, FileValidationSummary, undefined> {
  // One record per batch: a batch then holds one row or the errors of one record, so the
  // events keep the file's order.
  const batches = validateRecordBatches({ ...input, records: oneByOne(input.records) });
  let next = await batches.next();
  for (; !next.done; next = await batches.next()) {
    for (const row of next.value.rows) yield { type: 'row', row };
    for (const error of next.value.errors) yield { type: 'error', error };
  }
  const summary = next.value;
  const tooMany = tooManyRowErrors(input.file, summary.rowErrors, input.maxRowErrors);
  if (tooMany !== undefined) yield { type: 'error', error: tooMany };
  return summary;
}

async function* oneByOne(records: AsyncIterable<CsvRecord>): AsyncGenerator<CsvRecord[]> {
  for await (const record of records) yield [record];
}

function headerOf(
  kind: FileKind,
  file: string,
  line: number,
  names: readonly string[],
): FileHeader | { readonly error: RowError } {
  const indexes = new Map<string, number>();
  const repeated = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') return;
    if (indexes.has(name)) repeated.add(name);
    else indexes.set(name, index);
  });
  const missing = REQUIRED_COLUMNS[kind].filter((column) => !indexes.has(column));
  if (missing.length > 0) {
    const column = missing.join(', ');
    const noun = missing.length === 1 ? 'column' : 'columns';
    const lacks = `${file} line ${line}: the header lacks the required ${noun} ${column}`;
    const hint = otherDelimiterHint(kind, names) ?? nearMissHint(missing, names);
    return {
      error: {
        code: 'FILE_MISSING_COLUMNS',
        file,
        line,
        column,
        message: hint === undefined ? lacks : `${lacks}; ${hint}`,
      },
    };
  }
  if (repeated.size > 0) {
    const names = [...repeated];
    const column = boundedValue(names.join(', '));
    // A header may have thousands of columns: the message must stay far below SQS's 256 KB.
    const listed = names.slice(0, MAX_NAMES_LISTED).map(quotedValue).join(', ');
    const others = names.length - MAX_NAMES_LISTED;
    const more = others > 0 ? ` and ${others} other ${others === 1 ? 'name' : 'names'}` : '';
    return {
      error: {
        code: 'FILE_DUPLICATE_COLUMNS',
        file,
        line,
        column,
        message: `${file} line ${line}: the header names ${listed}${more} more than once`,
      },
    };
  }
  const [first, second, third, fourth] = REQUIRED_COLUMNS[kind];
  const at = (column: string): number => indexes.get(column) ?? 0;
  return { width: names.length, at: [at(first), at(second), at(third), at(fourth)] };
}

/** Delimiters that spreadsheet exports use instead of the comma, and how a message names them. */
const OTHER_DELIMITERS = [
  { delimiter: ';', named: 'semicolons (;)' },
  { delimiter: '\t', named: 'tabs' },
] as const;

/**
 * What to tell about a header that holds every required name of `kind`, but separated by
 * semicolons or tabs: the file was exported with another delimiter, so a comma-separated reading
 * sees one long column. `undefined` when the header is not such a case.
 */
function otherDelimiterHint(kind: FileKind, names: readonly string[]): string | undefined {
  for (const { delimiter, named } of OTHER_DELIMITERS) {
    const cell = names.find((name) => name.includes(delimiter));
    if (cell === undefined) continue;
    const parts = names.flatMap((name) => name.split(delimiter)).map(unquotedName);
    if (!REQUIRED_COLUMNS[kind].every((column) => parts.includes(column))) continue;
    return `it names them separated by ${named}, as in ${quotedValue(cell)}: the file separates its fields with ${named}, not commas, so export it again as comma-separated CSV`;
  }
  return undefined;
}

/**
 * A header name as a delimiter-split part holds it: spaces and quotes at either end removed.
 * Read as comma-separated, `"a";"b"` is one cell `a";"b`: each part keeps one of its quotes.
 */
function unquotedName(part: string): string {
  return part.trim().replace(/^"+|"+$/g, '');
}

/**
 * What to tell about missing columns that the header holds in another case or with spaces
 * around them (`Customer_Reference`, ` order_reference`): which header cell holds each, and the
 * name to give it. `undefined` when no missing column is such a near miss.
 */
function nearMissHint(missing: readonly string[], names: readonly string[]): string | undefined {
  const found = missing.flatMap((column) => {
    const index = names.findIndex((name) => name.trim().toLowerCase() === column);
    return index === -1 ? [] : [{ column, index, name: names[index] ?? '' }];
  });
  if (found.length === 0) return undefined;
  const cells = listed(
    found.map(({ index, name }) => `column ${index + 1} is ${quotedValue(name)}`),
  );
  const renamed = listed(found.map(({ column }) => column));
  return `${cells}: names must match exactly, in lower case and without spaces around them, so rename ${found.length === 1 ? 'it' : 'them'} ${renamed}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The reason to give for a price written with a decimal comma (`1,50`, `1.234,50`), with the
 * price as Tally reads it; `undefined` for any other value. Three digits after a lone comma
 * (`1,500`) may also be a thousands separator, so both readings are offered.
 */
function decimalCommaReason(value: string): string | undefined {
  const match = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d+)$/.exec(value);
  if (match === null) return undefined;
  const whole = (match[1] ?? '').replaceAll('.', '');
  const fraction = match[2] ?? '';
  if (fraction.length === 3 && whole === match[1]) {
    return `has a comma, as a decimal comma or a thousands separator: prices need a decimal point and no thousands separators, so write ${whole}.${fraction} or ${whole}${fraction}`;
  }
  return `has a decimal comma: prices need a decimal point, so write ${whole}.${fraction}`;
}

/** The staged row of an accepted record, or the errors of a rejected one. */
type RowCheck<K extends FileKind> = (
  line: number,
  values: readonly string[],
  header: FileHeader,
) => StagedRowOfKind[K] | readonly RowError[];

function isRejection<K extends FileKind>(
  outcome: StagedRowOfKind[K] | readonly RowError[],
): outcome is readonly RowError[] {
  return Array.isArray(outcome);
}

/** Checks one data row: field count, the validator, then staging. */
function rowCheckOf<K extends FileKind>(input: ValidateRecordBatchesInput<K>): RowCheck<K> {
  const { kind, file } = input;
  const validate = input.validators[kind];
  const rules: KindRules<K> = KIND_RULES[kind];
  const referenceColumns: readonly string[] = REFERENCE_COLUMNS[kind];
  const fieldErrorAt =
    (line: number) =>
    ({ code, column, value: cell, reason }: FieldError): RowError => {
      const value = detached(cell);
      const told =
        code === 'VALUE_INVALID_DECIMAL' ? (decimalCommaReason(value) ?? reason) : reason;
      return {
        code,
        file,
        line,
        column,
        value: boundedValue(value),
        message: `${file} line ${line}: ${column} ${quotedValue(value)} ${told}`,
      };
    };

  return (line, values, header) => {
    if (values.length !== header.width) {
      return [fieldCountError(file, line, values, header.width)];
    }
    const validation = validate(rules.cells(values, header.at));
    if (!validation.success) return validation.errors.map(fieldErrorAt(line));
    const tooLong = tooLongReferences(referenceColumns, validation.data);
    if (tooLong !== undefined) return tooLong.map(fieldErrorAt(line));
    const staged = rules.stage(validation.data, line);
    if ('code' in staged) return [fieldErrorAt(line)(staged)];
    return staged;
  };
}

/**
 * A copy of `value` that holds no reference to the text it was cut from. A cell is a slice of
 * the chunk of the file the CSV reader decoded (V8 keeps a slice's whole parent alive), and an
 * error is kept until its message is sent (measured: 1,000 kept errors held 46 MiB of heap
 * through their cells, 5 MiB as copies).
 */
function detached(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/**
 * One error per reference column of `row` longer than {@link MAX_REFERENCE_LENGTH}, or
 * `undefined` when there is none (the usual case, which allocates nothing).
 */
function tooLongReferences<K extends FileKind>(
  columns: readonly string[],
  row: RowOfKind[K],
): FieldError[] | undefined {
  const cells = row as unknown as Readonly<Record<string, string>>;
  let errors: FieldError[] | undefined;
  for (const column of columns) {
    const value = cells[column] ?? '';
    if (value.length <= MAX_REFERENCE_LENGTH) continue;
    const reason = `is ${value.length} characters long; a reference may have at most ${MAX_REFERENCE_LENGTH}`;
    (errors ??= []).push({ code: 'VALUE_TOO_LONG', column, value, reason });
  }
  return errors;
}

/**
 * The `ROW_FIELD_COUNT` error of a record with `values`. A record spanning several lines
 * usually means an unbalanced quote swallowed the line breaks after it, a single blank-looking
 * field means a line of white space, and a lone CR means old Mac line endings: each is named,
 * since the bare field count would hide it.
 */
function fieldCountError(
  file: string,
  line: number,
  values: readonly string[],
  width: number,
): RowError {
  const count = `${values.length} ${values.length === 1 ? 'field' : 'fields'} but the header has ${width}`;
  const lastLine = line + lineFeedsIn(values);
  let message = `${file} line ${line}: the row has ${count}`;
  if (lastLine > line) {
    message = `${file} line ${line}: the record on lines ${line} to ${lastLine} has ${count}; a quote in it may be unbalanced (quote a value that holds a quote, and double the quotes inside)`;
  } else if (values.length === 1 && !/\S/.test(values[0] ?? '')) {
    message += '; the line holds only white space';
  } else if (values.some((value) => /\r(?!\n)/.test(value))) {
    message += '; it holds a carriage return (CR) that ends no line: lines must end in LF or CRLF';
  }
  return { code: 'ROW_FIELD_COUNT', file, line, message };
}

/** Line feeds inside the values: each one was quoted and starts a physical line. */
function lineFeedsIn(values: readonly string[]): number {
  let count = 0;
  for (const value of values) {
    for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) count++;
  }
  return count;
}
