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

/** What {@link validateFile} needs. */
export interface ValidateFileInput<K extends FileKind> {
  readonly kind: K;
  /** The file name within the batch folder, for messages, e.g. `orders.csv`. */
  readonly file: string;
  /** The file's records, header first, e.g. from `readCsvRecords`. */
  readonly records: AsyncIterable<CsvRecord>;
  readonly validators: RowValidators;
  /** How many row errors to report one by one before summing up the rest. */
  readonly maxRowErrors: number;
}

/** How many repeated column names a `FILE_DUPLICATE_COLUMNS` message lists before "and N more". */
const MAX_NAMES_LISTED = 5;

/** One accepted row, ready to stage, or one problem found. */
export type FileValidationEvent<K extends FileKind> =
  | { readonly type: 'row'; readonly row: StagedRowOfKind[K] }
  | { readonly type: 'error'; readonly error: RowError };

/** What {@link validateFile} returns once the file is read. */
export interface FileValidationSummary {
  /** Data records read (the header and empty lines not counted). */
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Set when the whole file is rejected; also yielded as an error event. */
  readonly fileError?: RowError;
}

/** The domain's own rules per kind, on top of the validators: staging and unique references. */
interface KindRules<K extends FileKind> {
  readonly stage: (row: RowOfKind[K], line: number) => StagedRowOfKind[K] | FieldError;
  /** The column whose value only the first accepted row of the file may use. */
  readonly uniqueColumn?: keyof RowOfKind[K] & string;
}

const KIND_RULES: { readonly [K in FileKind]: KindRules<K> } = {
  customers: {
    stage: (row, line) => ({ line, customerReference: row.customer_reference }),
    uniqueColumn: 'customer_reference',
  },
  orders: {
    stage: (row, line) => ({
      line,
      orderReference: row.order_reference,
      customerReference: row.customer_reference,
    }),
    uniqueColumn: 'order_reference',
  },
  items: {
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
 * Validates one CSV file of a batch, streaming: yields each accepted row as a staged row and
 * each problem as a {@link RowError}, and returns a summary.
 *
 * - The header names the columns, in any order; extra columns are ignored and unnamed (empty)
 *   header cells are allowed, e.g. from trailing commas. Names match exactly (case and spaces).
 * - The whole file is rejected, with one error and no rows, when it has no header
 *   (`FILE_EMPTY`), lacks required columns (`FILE_MISSING_COLUMNS`, all of them named in
 *   `column`, joined with `, `) or repeats a column name (`FILE_DUPLICATE_COLUMNS`). A header
 *   alone is a valid file with no rows.
 * - A row with another field count than the header is rejected (`ROW_FIELD_COUNT`); when the
 *   record spans several lines (a quote opened and closed further down), holds only white space
 *   or holds a lone CR, the message says so, since that is then the likely cause. Other rows
 *   go to `validators[kind]` with the required columns only; each field error becomes one
 *   error naming the file, line, column, value and reason. Prices must also fit an `Amount`,
 *   and references may hold at most {@link MAX_REFERENCE_LENGTH} characters (`VALUE_TOO_LONG`).
 * - The first accepted row with a `customer_reference` (customers) or `order_reference`
 *   (orders) wins; a later accepted row with it is rejected (`DUPLICATE_REFERENCE`, naming the
 *   first row's line). A row rejected for its values does not claim its reference.
 * - After `maxRowErrors` row errors, further row errors are counted, not yielded; one
 *   `TOO_MANY_ROW_ERRORS` error at the end says how many were left out. Accepted rows keep
 *   flowing.
 * - Values repeated in errors are bounded to 200 characters plus `…`.
 * - A {@link CsvFileError} from `records` (invalid UTF-8, an unclosed quote, a too long line)
 *   ends the file: it becomes `fileError` and a last error event, after the row-error summary.
 *   Counts then include the rows read before it, but the file is rejected as a whole: the
 *   caller must discard every row already yielded. Other failures of `records` are rethrown.
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
  const { kind, file, maxRowErrors } = input;
  if (!Number.isSafeInteger(maxRowErrors) || maxRowErrors < 0) {
    throw new TallyUsageError(`maxRowErrors must be a whole number >= 0, got ${maxRowErrors}`);
  }
  const check = rowCheckOf(input);
  let rowsRead = 0;
  let accepted = 0;
  let rejected = 0;
  let rowErrors = 0;
  let header: Header | undefined;
  let fileError: RowError | undefined;

  try {
    for await (const { line, values } of input.records) {
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
      if ('row' in outcome) {
        accepted++;
        yield { type: 'row', row: outcome.row };
        continue;
      }
      rejected++;
      for (const error of outcome.errors) {
        rowErrors++;
        if (rowErrors <= maxRowErrors) yield { type: 'error', error };
      }
    }
    if (header === undefined && fileError === undefined) {
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

  if (rowErrors > maxRowErrors) {
    const left = rowErrors - maxRowErrors;
    const message = `${file}: ${left} more row ${left === 1 ? 'error was' : 'errors were'} not reported, after the first ${maxRowErrors}`;
    yield { type: 'error', error: { code: 'TOO_MANY_ROW_ERRORS', file, message } };
  }
  if (fileError === undefined) return { rowsRead, accepted, rejected };
  yield { type: 'error', error: fileError };
  return { rowsRead, accepted, rejected, fileError };
}

/** A valid header: how many fields each row must have, and where the required columns sit. */
interface Header {
  readonly width: number;
  readonly columns: readonly (readonly [column: string, index: number])[];
}

function headerOf(
  kind: FileKind,
  file: string,
  line: number,
  names: readonly string[],
): Header | { readonly error: RowError } {
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
    return {
      error: {
        code: 'FILE_MISSING_COLUMNS',
        file,
        line,
        column,
        message: `${file} line ${line}: the header lacks the required ${noun} ${column}`,
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
  return {
    width: names.length,
    columns: REQUIRED_COLUMNS[kind].map((column) => [column, indexes.get(column) ?? 0] as const),
  };
}

type RowCheck<K extends FileKind> = (
  line: number,
  values: readonly string[],
  header: Header,
) => { readonly row: StagedRowOfKind[K] } | { readonly errors: readonly RowError[] };

/** Checks one data row: field count, the validator, staging, then unique references. */
function rowCheckOf<K extends FileKind>(input: ValidateFileInput<K>): RowCheck<K> {
  const { kind, file } = input;
  const validate = input.validators[kind];
  const rules: KindRules<K> = KIND_RULES[kind];
  const firstLineOf = new Map<string, number>();
  const fieldErrorAt =
    (line: number) =>
    ({ code, column, value, reason }: FieldError): RowError => ({
      code,
      file,
      line,
      column,
      value: boundedValue(value),
      message: `${file} line ${line}: ${column} ${quotedValue(value)} ${reason}`,
    });

  return (line, values, header) => {
    if (values.length !== header.width) {
      return { errors: [fieldCountError(file, line, values, header.width)] };
    }
    const cells: Record<string, string> = {};
    for (const [column, index] of header.columns) cells[column] = values[index] ?? '';
    const validation = validate(cells);
    if (!validation.success) return { errors: validation.errors.map(fieldErrorAt(line)) };
    const tooLong = tooLongReferences(kind, validation.data);
    if (tooLong.length > 0) return { errors: tooLong.map(fieldErrorAt(line)) };
    const staged = rules.stage(validation.data, line);
    if ('code' in staged) return { errors: [fieldErrorAt(line)(staged)] };
    if (rules.uniqueColumn !== undefined) {
      const reference = String(validation.data[rules.uniqueColumn]);
      const firstLine = firstLineOf.get(reference);
      if (firstLine !== undefined) {
        const reason = `repeats the row on line ${firstLine}, which wins`;
        const duplicate = {
          code: 'DUPLICATE_REFERENCE',
          column: rules.uniqueColumn,
          value: reference,
          reason,
        } as const;
        return { errors: [fieldErrorAt(line)(duplicate)] };
      }
      firstLineOf.set(reference, line);
    }
    return { row: staged };
  };
}

/** One error per reference column of `row` longer than {@link MAX_REFERENCE_LENGTH}. */
function tooLongReferences<K extends FileKind>(kind: K, row: RowOfKind[K]): FieldError[] {
  const columns: readonly string[] = REFERENCE_COLUMNS[kind];
  const cells = row as unknown as Readonly<Record<string, string>>;
  return columns.flatMap((column) => {
    const value = cells[column] ?? '';
    if (value.length <= MAX_REFERENCE_LENGTH) return [];
    const reason = `is ${value.length} characters long; a reference may have at most ${MAX_REFERENCE_LENGTH}`;
    return [{ code: 'VALUE_TOO_LONG', column, value, reason }];
  });
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
