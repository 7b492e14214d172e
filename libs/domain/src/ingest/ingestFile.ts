import { parseBatchKey } from '../batch/parseBatchKey';
import type { FileKind } from '../batch/fileKind';
import { readCsvRecordBatches } from '../csv/readCsvRecords';
import type { RowError } from '../errors/RowError';
import { errorMessageOf } from '../messages/outputMessages';
import { outboundMessageOf } from '../messages/outboundMessageOf';
import type { StagedFile } from '../messages/outputMessageTypes';
import type { AggregationRequests } from '../ports/AggregationRequests';
import type { MessageSink } from '../ports/MessageSink';
import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import type { BatchManifest, StagedChunk, StagingStore } from '../ports/StagingStore';
import { validateRecordBatches } from '../rows/validateFile';
import { StagedChunkBuilder } from '../staging/stagedRowCodec';
import type { RowValidators } from '../validation/RowValidator';
import { combinationOf } from './combinationOf';
import { compareSequencers } from './compareSequencers';
import { fileTooLargeError } from './fileTooLargeError';
import { keyFolderOf } from './keyFolderOf';

/** The ports ingest works through. */
export interface IngestDependencies {
  readonly source: ObjectSource;
  readonly store: StagingStore;
  readonly sink: MessageSink;
  readonly aggregation: AggregationRequests;
  readonly validators: RowValidators;
}

/** Limits and conventions, from configuration. */
export interface IngestSettings {
  /** Key prefix of uploads, e.g. `incoming/`. */
  readonly inputPrefix: string;
  readonly maxObjectBytes: number;
  readonly maxLineBytes: number;
  readonly maxRowErrors: number;
  /** Byte budget of one staged chunk (a DynamoDB item holds at most 400 KB). */
  readonly maxChunkBytes?: number;
}

/** How long an invocation keeps for itself after reading stops: reject, report, return. */
export const TIME_RESERVE_MS = 30_000;

/** Per-invocation options of {@link ingestFile}. */
export interface IngestOptions {
  /**
   * Milliseconds the invocation may still run (Lambda's `getRemainingTimeInMillis`). When
   * fewer than {@link TIME_RESERVE_MS} remain while the file is being read, the file is
   * rejected with `FILE_TIME_LIMIT` instead of the invocation timing out: a timeout would be
   * retried, time out again and end in the DLQ with no message for the user.
   */
  readonly remainingTimeMs?: () => number;
}

/** Chunks written per StagingStore call: one BatchWriteItem holds 25. */
const CHUNKS_PER_PUT = 25;

/** What happened to one uploaded object. */
export type IngestOutcome =
  | { readonly status: 'rejected-key'; readonly key: string }
  | {
      readonly status: 'rejected-file';
      readonly batchId: string;
      readonly kind: FileKind;
      readonly code: RowError['code'];
      readonly rowsRead: number;
    }
  /** A later upload of the same key was already staged, or this upload was overwritten or deleted. */
  | {
      readonly status: 'superseded' | 'unavailable';
      readonly batchId: string;
      readonly kind: FileKind;
    }
  | {
      readonly status: 'staged' | 'already-staged';
      readonly batchId: string;
      readonly kind: FileKind;
      readonly rowsRead: number;
      readonly accepted: number;
      readonly rejected: number;
      /** This invocation sent the batch's "batch ready" message. */
      readonly requestedAggregation: boolean;
    };

/** Identifies one upload of one key: sequencers order uploads of a key, eTags name content. */
const versionOf = (location: ObjectLocation): string =>
  `${location.sequencer.toUpperCase()}-${location.eTag.replace(/"/g, '')}`;

/**
 * Ingests one uploaded object: parses its key, streams and validates its rows, stages the
 * accepted ones, reports the rejected ones, records the file in the batch manifest and, when
 * all three kinds are staged, asks for aggregation (exactly one invocation does, see
 * {@link StagingStore.claimReady}).
 *
 * Safe to run again for the same event (at-least-once delivery): staging is idempotent, error
 * messages keep their ids, and the claim lets the same upload re-send "batch ready" if its
 * first send failed. A file rejected as a whole changes nothing in the manifest, so the batch
 * stays incomplete until a corrected upload arrives.
 *
 * @example
 * const outcome = await ingestFile(location, dependencies, settings);
 * if (outcome.status === 'staged') logger.info('staged', outcome);
 */
export const ingestFile = async (
  location: ObjectLocation,
  dependencies: IngestDependencies,
  settings: IngestSettings,
  options: IngestOptions = {},
): Promise<IngestOutcome> => {
  const { store, sink } = dependencies;
  const parsed = parseBatchKey(location.key, settings.inputPrefix);
  if (!parsed.success) {
    const batchId = keyFolderOf(location.key, settings.inputPrefix);
    await sink.send([outboundMessageOf(batchId, errorMessageOf(batchId, parsed.error))]);
    return { status: 'rejected-key', key: location.key };
  }
  const { batchId, kind, file } = parsed.data;
  const reject = async (error: RowError, rowsRead: number): Promise<IngestOutcome> => {
    await sink.send([outboundMessageOf(batchId, errorMessageOf(batchId, error))]);
    return { status: 'rejected-file', batchId, kind, code: error.code, rowsRead };
  };

  if (location.size > settings.maxObjectBytes) {
    return reject(fileTooLargeError(file, location.size, settings.maxObjectBytes), 0);
  }

  const version = versionOf(location);
  const before = await store.readManifest(batchId);
  const current = before?.files[kind];
  if (
    current?.key === location.key &&
    compareSequencers(current.sequencer, location.sequencer) > 0
  ) {
    return { status: 'superseded', batchId, kind };
  }
  if (current?.version === version && before) {
    // A redelivered event whose file is already staged: only the completion step may be unfinished.
    const requestedAggregation = await requestAggregationIfComplete(before, version, dependencies);
    return {
      status: 'already-staged',
      batchId,
      kind,
      rowsRead: current.rowCount,
      accepted: current.rowCount,
      rejected: 0,
      requestedAggregation,
    };
  }

  const chunks = new StagedChunkBuilder(kind, { maxChunkBytes: settings.maxChunkBytes });
  const rowErrors: RowError[] = [];
  const pendingChunks: StagedChunk[] = [];
  let chunkCount = 0;
  // One put in flight while parsing goes on: I/O overlaps CPU, memory stays bounded.
  let inFlight: Promise<void> = Promise.resolve();
  const putPending = async (): Promise<void> => {
    const batch = pendingChunks.splice(0, pendingChunks.length);
    await inFlight;
    inFlight = store.putChunks(batch);
    // Observed later by `await inFlight`; this keeps a failure meanwhile from being "unhandled".
    inFlight.catch(() => undefined);
  };
  const stage = async (rows: string, rowCount: number): Promise<void> => {
    pendingChunks.push({ batchId, kind, version, index: chunkCount++, rowCount, rows });
    if (pendingChunks.length >= CHUNKS_PER_PUT) await putPending();
  };

  let summary;
  const batches = validateRecordBatches({
    kind,
    file,
    records: readCsvRecordBatches(dependencies.source.open(location), {
      maxLineBytes: settings.maxLineBytes,
    }),
    validators: dependencies.validators,
    maxRowErrors: settings.maxRowErrors,
  });
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
      if (options.remainingTimeMs && options.remainingTimeMs() < TIME_RESERVE_MS) {
        await inFlight.catch(() => undefined); // its chunks are unreferenced and expire by TTL
        return reject(
          {
            code: 'FILE_TIME_LIMIT',
            file,
            message: `${file} could not be read within the ingest function's time limit (stopped after about ${rowsSeen} rows of a ${location.size}-byte file); the file is rejected as a whole`,
            value: String(location.size),
          },
          rowsSeen,
        );
      }
      next = await batches.next();
    }
    summary = next.value;
  } catch (error) {
    if (error instanceof ObjectUnavailableError) return { status: 'unavailable', batchId, kind };
    throw error;
  } finally {
    // Closes the object's stream however reading ended (done, rejected, time limit, a failed
    // write): an open S3 socket would outlive the invocation in a warm container.
    await batches.return(undefined as never);
  }
  if (summary.fileError) {
    await inFlight.catch(() => undefined); // its chunks are unreferenced and expire by TTL
    return reject(summary.fileError, summary.rowsRead);
  }
  const last = chunks.flush();
  if (last) await stage(last.rows, last.rowCount);
  if (pendingChunks.length > 0) await putPending();
  await inFlight;

  // Errors go out before the commit: a crash in between re-sends them with the same ids.
  await sink.send(
    rowErrors.map((error) => outboundMessageOf(batchId, errorMessageOf(batchId, error))),
  );
  const committed = await store.commitFile(batchId, kind, {
    file,
    version,
    chunks: chunkCount,
    key: location.key,
    sequencer: location.sequencer,
    rowCount: summary.accepted,
  });
  if (committed.status === 'superseded') return { status: 'superseded', batchId, kind };
  const requestedAggregation = await requestAggregationIfComplete(
    committed.manifest,
    version,
    dependencies,
  );
  return {
    status: 'staged',
    batchId,
    kind,
    rowsRead: summary.rowsRead,
    accepted: summary.accepted,
    rejected: summary.rejected,
    requestedAggregation,
  };
};

/**
 * When the manifest holds all three kinds, claims "batch ready" for that combination and, if
 * this upload won the claim, sends it. Returns whether it was sent.
 */
const requestAggregationIfComplete = async (
  manifest: BatchManifest,
  claimant: string,
  dependencies: IngestDependencies,
): Promise<boolean> => {
  const { customers, orders, items } = manifest.files;
  if (!customers || !orders || !items) return false;
  const files: { [K in FileKind]: StagedFile } = {
    customers: stagedFileOf(customers),
    orders: stagedFileOf(orders),
    items: stagedFileOf(items),
  };
  const combination = combinationOf(files);
  if (manifest.aggregatedCombination === combination) return false;
  const won = await dependencies.store.claimReady(manifest.batchId, combination, claimant);
  if (!won) return false;
  await dependencies.aggregation.requestAggregation({
    type: 'batch_ready',
    batch_id: manifest.batchId,
    files,
  });
  return true;
};

const stagedFileOf = (file: StagedFile): StagedFile => ({
  file: file.file,
  version: file.version,
  chunks: file.chunks,
});
