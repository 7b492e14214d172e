import { createReadStream } from 'node:fs';
import {
  BatchAggregation,
  errorMessageOf,
  FILE_KINDS,
  fileTooLargeError,
  outboundMessageOf,
  readCsvRecordBatches,
  validateRecordBatches,
} from '@tally/domain';
import type {
  CsvRecord,
  ErrorCode,
  FileKind,
  IngestSettings,
  MessageSink,
  RowError,
  RowValidators,
  StagedRowOfKind,
} from '@tally/domain';
import type { ReadProgress } from './ReadProgress';
import { readBatchFolder } from './readBatchFolder';
import type { BatchFolderFile } from './readBatchFolder';

/** The pipeline settings the check applies, as ingest reads them from its environment. */
export type BatchCheckSettings = Pick<
  IngestSettings,
  'inputPrefix' | 'maxObjectBytes' | 'maxLineBytes' | 'maxRowErrors'
>;

/** What {@link validateBatchFolder} works through. */
export interface BatchCheckDependencies {
  /** Receives the error messages the pipeline would send, in the order documented below. */
  readonly sink: MessageSink;
  readonly validators: RowValidators;
  readonly progress?: ReadProgress;
}

/** How one file of the batch fared. */
export interface FileCheck {
  readonly kind: FileKind;
  readonly file: string;
  /** Data records read (the header and empty lines not counted). */
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Set when the whole file is rejected: then its only error message is this one. */
  readonly fileError?: ErrorCode;
  /** Accepted rows the join excludes (orphans); 0 when the batch is not joined. */
  readonly referentialErrors: number;
}

/**
 * - `clean`: the pipeline would send only customer messages.
 * - `errors`: the batch completes, but with error messages (rows, references or keys).
 * - `incomplete`: a kind is missing or a file is rejected as a whole, so the pipeline would
 *   never aggregate the batch.
 */
export type BatchVerdict = 'clean' | 'errors' | 'incomplete';

/** The outcome of {@link validateBatchFolder}. */
export interface BatchCheck {
  readonly batchId: string;
  readonly verdict: BatchVerdict;
  /** The batch's files, customers then orders then items. */
  readonly files: readonly FileCheck[];
  readonly missing: readonly FileKind[];
  /** `.csv` files whose name gives no kind: each got a `KEY_INVALID` error message. */
  readonly keyErrors: readonly string[];
  /** Customer messages the aggregator would send; absent when the batch would not be joined. */
  readonly customerMessages?: number;
  /** Error messages sent to the sink. */
  readonly errorMessages: number;
  /** Folder entries that are not part of the upload (sub-folders, files not ending in `.csv`). */
  readonly ignored: readonly string[];
}

/** Feeds staged rows of each kind to the join. */
const JOIN_ROWS: {
  readonly [K in FileKind]: (
    aggregation: BatchAggregation,
    rows: readonly StagedRowOfKind[K][],
  ) => void;
} = {
  customers: (aggregation, rows) => aggregation.addCustomers(rows),
  orders: (aggregation, rows) => aggregation.addOrders(rows),
  items: (aggregation, rows) => aggregation.addItems(rows),
};

/** Hands accepted rows of `kind` to the join, or drops them when the batch will not be joined. */
const joinerOf =
  <K extends FileKind>(kind: K, aggregation: BatchAggregation | undefined) =>
  (rows: readonly StagedRowOfKind[K][]): void => {
    if (aggregation) JOIN_ROWS[kind](aggregation, rows);
  };

/**
 * Checks a batch folder with the pipeline's own rules and no AWS: for each file what ingest
 * does (`parseBatchKey`, the size limit, `readCsvRecordBatches` → `validateRecordBatches`), then what the
 * aggregator does (`BatchAggregation`), and sends to `sink` exactly the `error_message`s the
 * pipeline would send for the batch:
 *
 * 1. `KEY_INVALID` for each `.csv` file whose name gives no kind;
 * 2. per file, customers then orders then items: its row errors (and `TOO_MANY_ROW_ERRORS`),
 *    or only its file error when the file is rejected as a whole;
 * 3. when all three files are accepted: the join's referential errors (orphans).
 *
 * Customer messages are counted, not sent. Memory stays flat in the size of the items file:
 * customers and orders are held (the join needs them), items stream through the join, and a
 * file's row errors wait (at most `maxRowErrors` + 1) until the file turns out not to be
 * rejected as a whole. Referential errors are held until the join ends, as in the aggregator.
 *
 * Throws `BatchFolderError` for a folder it cannot check (see `readBatchFolder`), and passes on
 * read failures of the files.
 *
 * @example
 * ```ts
 * const check = await validateBatchFolder('./2024-06-01', { sink, validators: createRowValidators() }, settings);
 * check.verdict; // 'errors'
 * ```
 */
export const validateBatchFolder = async (
  folder: string,
  dependencies: BatchCheckDependencies,
  settings: BatchCheckSettings,
): Promise<BatchCheck> => {
  const { sink } = dependencies;
  const batch = await readBatchFolder(folder, settings.inputPrefix);
  const { batchId } = batch;
  const send = (errors: readonly RowError[]) =>
    sink.send(errors.map((error) => outboundMessageOf(batchId, errorMessageOf(batchId, error))));

  await send(batch.keyErrors);
  let errorMessages = batch.keyErrors.length;
  const missing = FILE_KINDS.filter((kind) => batch.files[kind] === undefined);
  const { customers, orders, items } = batch.files;
  let aggregation =
    customers && orders && items
      ? new BatchAggregation({
          batchId,
          files: { customers: customers.file, orders: orders.file, items: items.file },
        })
      : undefined;

  const checks: Omit<FileCheck, 'referentialErrors'>[] = [];
  for (const kind of FILE_KINDS) {
    const file = batch.files[kind];
    if (file === undefined) continue;
    const { check, errors } = await checkFile(
      kind,
      file,
      dependencies,
      settings,
      joinerOf(kind, aggregation),
    );
    // A file rejected as a whole never reaches the aggregator: rows already joined are void.
    if (check.fileError !== undefined) aggregation = undefined;
    await send(errors);
    errorMessages += errors.length;
    checks.push(check);
  }

  const joined = aggregation?.finish();
  const referential = new Map<string | undefined, number>();
  if (joined) {
    await sink.send(joined.errors.map((message) => outboundMessageOf(batchId, message)));
    errorMessages += joined.errors.length;
    for (const { file } of joined.errors) referential.set(file, (referential.get(file) ?? 0) + 1);
  }
  return {
    batchId,
    verdict: joined === undefined ? 'incomplete' : errorMessages > 0 ? 'errors' : 'clean',
    files: checks.map((check) => ({
      ...check,
      referentialErrors: referential.get(check.file) ?? 0,
    })),
    missing,
    keyErrors: batch.keyErrors.map((error) => error.file),
    ...(joined === undefined ? {} : { customerMessages: joined.customers.length }),
    errorMessages,
    ignored: batch.ignored,
  };
};

/**
 * What ingest does with one file: rejects it whole when too large, else streams it through
 * `validateRecordBatches`, handing each batch of accepted rows to `accept`. Returns the errors ingest would send:
 * the row errors, or only the file error when the file is rejected as a whole.
 */
const checkFile = async <K extends FileKind>(
  kind: K,
  { file, path, size }: BatchFolderFile,
  { validators, progress }: BatchCheckDependencies,
  settings: BatchCheckSettings,
  accept: (rows: readonly StagedRowOfKind[K][]) => void,
): Promise<{ check: Omit<FileCheck, 'referentialErrors'>; errors: readonly RowError[] }> => {
  if (size > settings.maxObjectBytes) {
    const error = fileTooLargeError(file, size, settings.maxObjectBytes);
    return {
      check: { kind, file, rowsRead: 0, accepted: 0, rejected: 0, fileError: error.code },
      errors: [error],
    };
  }
  progress?.start(file, size);
  const read = { bytes: 0, records: 0 };
  const records = readCsvRecordBatches(countingBytes(createReadStream(path), read), {
    maxLineBytes: settings.maxLineBytes,
  });
  const batches = validateRecordBatches({
    kind,
    file,
    records: progress ? reportingRecords(records, read, progress) : records,
    validators,
    maxRowErrors: settings.maxRowErrors,
  });
  const rowErrors: RowError[] = [];
  let next = await batches.next();
  for (; !next.done; next = await batches.next()) {
    accept(next.value.rows);
    rowErrors.push(...next.value.errors);
  }
  progress?.end();
  const { rowsRead, accepted, rejected, fileError } = next.value;
  return fileError === undefined
    ? { check: { kind, file, rowsRead, accepted, rejected }, errors: rowErrors }
    : {
        check: { kind, file, rowsRead, accepted, rejected, fileError: fileError.code },
        errors: [fileError],
      };
};

async function* countingBytes(
  source: AsyncIterable<Buffer>,
  read: { bytes: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    read.bytes += chunk.length;
    yield chunk;
  }
}

/** Reports progress once per batch of records: the bytes read advance once per chunk anyway. */
async function* reportingRecords(
  batches: AsyncIterable<readonly CsvRecord[]>,
  read: { bytes: number; records: number },
  progress: ReadProgress,
): AsyncGenerator<readonly CsvRecord[]> {
  for await (const records of batches) {
    read.records += records.length;
    progress.advance(read.bytes, read.records);
    yield records;
  }
}
