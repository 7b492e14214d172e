import { createHash } from 'node:crypto';
import type { BatchKey } from '../batch/parseBatchKey';
import { readCsvRecordBatches } from '../csv/readCsvRecords';
import type { RowError } from '../errors/RowError';
import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import type { StagedChunk, StagingStore } from '../ports/StagingStore';
import { tooManyRowErrors, validateRecordBatches } from '../rows/validateFile';
import type { FileValidationSummary } from '../rows/validateFile';
import { StagedChunkBuilder } from '../staging/stagedRowCodec';
import type { RowValidators } from '../validation/RowValidator';

/** What staging an upload's rows needs. */
export interface StageUploadInput {
  readonly location: ObjectLocation;
  readonly batchKey: BatchKey;
  /** The upload's version: its chunks are stored under it. */
  readonly version: string;
  /** Epoch ms when the chunks may be dropped. */
  readonly expiresAt: number;
  readonly source: ObjectSource;
  readonly store: StagingStore;
  readonly validators: RowValidators;
  readonly maxLineBytes: number;
  readonly maxRowErrors: number;
  /**
   * Called after each batch of records with the rows seen so far: returning a `RowError`
   * stops reading and rejects the file with it (e.g. when the invocation runs out of time).
   */
  readonly stopIf?: (rowsSeen: number) => RowError | undefined;
}

/** The outcome of {@link stageUploadRows}. */
export type StagedRows =
  | {
      readonly status: 'staged';
      readonly summary: FileValidationSummary;
      /** Row errors, in file order, capped as `validateFile` caps them (plus the summary). */
      readonly rowErrors: readonly RowError[];
      readonly chunks: number;
      /** Lower-case hex SHA-256 of the bytes read: the whole object. */
      readonly sha256: string;
    }
  /**
   * The whole file is rejected: `error` says why and is the only message about it (its row
   * errors would describe rows that count for nothing). The chunks already written expire.
   */
  | { readonly status: 'rejected'; readonly error: RowError; readonly rowsRead: number };

/** Chunks held before they are written: bounds memory (this many chunk sizes), keeps writes large. */
const PENDING_CHUNKS = 32;

/**
 * Streams an upload, validates its rows and stages the accepted ones as chunks under the
 * upload's version, while hashing its bytes. One write is in flight while parsing goes on, so
 * I/O overlaps CPU and memory stays bounded. The object's stream is closed however reading
 * ends. Throws what the source or the store throw (for example `ObjectUnavailableError`).
 *
 * @example
 * const staged = await stageUploadRows({ location, batchKey, version, expiresAt, source, store, validators, maxLineBytes, maxRowErrors });
 */
export const stageUploadRows = async (input: StageUploadInput): Promise<StagedRows> => {
  const { batchKey, store } = input;
  const digest = createHash('sha256');
  const chunks = new StagedChunkBuilder(batchKey.kind, { maxChunkBytes: store.maxChunkBytes });
  const pending: StagedChunk[] = [];
  let chunkCount = 0;
  const rowErrors: RowError[] = [];
  // One put in flight while parsing goes on.
  let inFlight: Promise<void> = Promise.resolve();
  const putPending = async (): Promise<void> => {
    const group = pending.splice(0);
    await inFlight;
    inFlight = store.putChunks(group);
    // Observed later by `await inFlight`; this keeps a failure meanwhile from being "unhandled".
    inFlight.catch(() => undefined);
  };
  const stage = async (rows: string, rowCount: number): Promise<void> => {
    pending.push({
      batchId: batchKey.batchId,
      key: input.location.key,
      version: input.version,
      index: chunkCount++,
      rowCount,
      rows,
      expiresAt: input.expiresAt,
    });
    if (pending.length >= PENDING_CHUNKS) await putPending();
  };
  const rejected = async (error: RowError, rowsRead: number): Promise<StagedRows> => {
    await inFlight.catch(() => undefined); // its chunks are unreferenced and expire
    return { status: 'rejected', error, rowsRead };
  };

  const batches = validateRecordBatches({
    kind: batchKey.kind,
    file: batchKey.file,
    records: readCsvRecordBatches(hashed(input.source.open(input.location), digest), {
      maxLineBytes: input.maxLineBytes,
    }),
    validators: input.validators,
    maxRowErrors: input.maxRowErrors,
  });
  let summary: FileValidationSummary;
  try {
    let rowsSeen = 0;
    let next = await batches.next();
    while (!next.done) {
      for (const row of next.value.rows) {
        const full = chunks.add(row);
        if (full) await stage(full.rows, full.rowCount);
      }
      rowErrors.push(...next.value.errors);
      rowsSeen += next.value.rows.length + next.value.errors.length;
      const stop = input.stopIf?.(rowsSeen);
      if (stop !== undefined) return await rejected(stop, rowsSeen);
      next = await batches.next();
    }
    summary = next.value;
  } finally {
    // Closes the object's stream however reading ended (done, rejected, a failed write): an
    // open S3 socket would outlive the invocation in a warm container.
    await batches.return(undefined as never);
  }
  if (summary.fileError) return rejected(summary.fileError, summary.rowsRead);
  const tooMany = tooManyRowErrors(batchKey.file, summary.rowErrors, input.maxRowErrors);
  if (tooMany !== undefined) rowErrors.push(tooMany);
  const last = chunks.flush();
  if (last) await stage(last.rows, last.rowCount);
  if (pending.length > 0) await putPending();
  await inFlight;
  return {
    status: 'staged',
    summary,
    rowErrors,
    chunks: chunkCount,
    sha256: digest.digest('hex'),
  };
};

async function* hashed(
  bytes: AsyncIterable<Uint8Array>,
  digest: ReturnType<typeof createHash>,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    digest.update(chunk);
    yield chunk;
  }
}
