import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  fileTooLargeError,
  readCsvRecordBatches,
  tooManyRowErrors,
  validateRecordBatches,
} from '@tally/domain';
import type {
  CsvRecord,
  FileKind,
  IngestSettings,
  RowError,
  RowValidators,
  StagedRowOfKind,
} from '@tally/domain';
import type { BatchFolderFile } from './readBatchFolder';
import type { ReadProgress } from './ReadProgress';

/** What ingest makes of one file: its rows staged, or the file rejected as a whole. */
export type BatchFileRead =
  | {
      readonly status: 'staged';
      /** Data records read (the header and empty lines not counted). */
      readonly rowsRead: number;
      readonly accepted: number;
      readonly rejected: number;
      /** Lower-case hex SHA-256 of the file's bytes. */
      readonly sha256: string;
      /** Its row errors, capped as ingest caps them (then `TOO_MANY_ROW_ERRORS`). */
      readonly errors: readonly RowError[];
    }
  | {
      readonly status: 'rejected';
      /** How far reading got before the file was rejected (0 when it was not read). */
      readonly rowsRead: number;
      readonly accepted: number;
      readonly rejected: number;
      /** The file error, the only message ingest sends about the file. */
      readonly error: RowError;
    };

/** Ingest's limits on one file. */
export type BatchFileLimits = Pick<
  IngestSettings,
  'maxObjectBytes' | 'maxLineBytes' | 'maxRowErrors'
>;

/** What {@link checkBatchFile} reads with. */
export interface BatchFileReading<K extends FileKind> {
  readonly validators: RowValidators;
  readonly progress?: ReadProgress;
  /** Receives each batch of accepted rows as it is read, e.g. to join them. */
  readonly accept: (rows: readonly StagedRowOfKind[K][]) => void;
}

/**
 * What ingest does with one file: rejects it unread when it is over `maxObjectBytes`, else
 * streams it through `readCsvRecordBatches` → `validateRecordBatches` while hashing its bytes,
 * handing each batch of accepted rows to `accept`. Memory stays flat in the file's size: rows
 * pass through, and the row errors held are at most `maxRowErrors` + 1.
 *
 * @example
 * ```ts
 * const read = await checkBatchFile(file, settings, { validators, accept: (rows) => aggregation.addItems(rows, file.file) });
 * ```
 */
export const checkBatchFile = async <K extends FileKind>(
  { kind, file, path, size }: BatchFolderFile & { readonly kind: K },
  settings: BatchFileLimits,
  { validators, progress, accept }: BatchFileReading<K>,
): Promise<BatchFileRead> => {
  if (size > settings.maxObjectBytes) {
    return {
      status: 'rejected',
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      error: fileTooLargeError(file, size, settings.maxObjectBytes),
    };
  }
  progress?.start(file, size);
  const digest = createHash('sha256');
  const read = { bytes: 0, records: 0 };
  const records = readCsvRecordBatches(hashedBytes(createReadStream(path), digest, read), {
    maxLineBytes: settings.maxLineBytes,
  });
  const batches = validateRecordBatches({
    kind,
    file,
    records: progress ? reportingRecords(records, read, progress) : records,
    validators,
    maxRowErrors: settings.maxRowErrors,
  });
  const errors: RowError[] = [];
  let next = await batches.next();
  for (; !next.done; next = await batches.next()) {
    accept(next.value.rows);
    errors.push(...next.value.errors);
  }
  progress?.end();
  const { rowsRead, accepted, rejected, fileError } = next.value;
  const tooMany = tooManyRowErrors(file, next.value.rowErrors, settings.maxRowErrors);
  if (tooMany !== undefined) errors.push(tooMany);
  return fileError === undefined
    ? { status: 'staged', rowsRead, accepted, rejected, sha256: digest.digest('hex'), errors }
    : { status: 'rejected', rowsRead, accepted, rejected, error: fileError };
};

/** Passes the bytes on while hashing and counting them. */
async function* hashedBytes(
  source: AsyncIterable<Buffer>,
  digest: ReturnType<typeof createHash>,
  read: { bytes: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    digest.update(chunk);
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
