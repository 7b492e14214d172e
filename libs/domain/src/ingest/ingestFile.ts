import { randomUUID } from 'node:crypto';
import type { FileKind } from '../batch/fileKind';
import { parseBatchKey } from '../batch/parseBatchKey';
import { tooManyFilesError } from './tooManyFilesError';
import type { BatchKey } from '../batch/parseBatchKey';
import type { RowError } from '../errors/RowError';
import {
  admitUpload,
  commitRejectedUpload,
  commitStagedUpload,
  requesterOf,
} from '../lifecycle/commitUpload';
import type { UploadIdentity } from '../lifecycle/commitUpload';
import { updateBatchState } from '../lifecycle/updateBatchState';
import { TallyUsageError } from '../errors/TallyUsageError';
import type { AggregationRequests } from '../ports/AggregationRequests';
import type { IngestContinuations } from '../ports/IngestContinuations';
import type { MessageSink } from '../ports/MessageSink';
import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import type { StagingStore } from '../ports/StagingStore';
import { bucketsRecordName } from '../staging/stagedBuckets';
import type { StagedBuckets } from '../staging/stagedBuckets';
import type { BatchManifestValidator } from '../validation/BatchManifestValidator';
import type { RowValidators } from '../validation/RowValidator';
import { fileTooLargeError } from './fileTooLargeError';
import { batchManifestIdOf, ingestBatchManifest } from './ingestBatchManifest';
import { keyFolderOf } from './keyFolderOf';
import { objectDeletedError } from './objectDeletedError';
import { objectVersionOf } from './objectVersionOf';
import { reportUploadErrors, sendPendingWork } from './sendPendingWork';
import { stageUploadRows } from './stageUploadRows';

/** The ports ingest works through. */
export interface IngestDependencies {
  readonly source: ObjectSource;
  readonly store: StagingStore;
  readonly sink: MessageSink;
  readonly aggregation: AggregationRequests;
  readonly validators: RowValidators;
  readonly manifestValidator: BatchManifestValidator;
  /**
   * Where the rest of a file goes when the invocation's time runs short (the ingest queue).
   * Needed with {@link IngestOptions.remainingTimeMs}; without a deadline a file is read in one go.
   */
  readonly continuations?: IngestContinuations;
}

/** Limits and conventions, from configuration. */
export interface IngestSettings {
  /** Key prefix of uploads, e.g. `incoming/`. */
  readonly inputPrefix: string;
  /** Larger objects are rejected unread (`FILE_TOO_LARGE`). */
  readonly maxObjectBytes: number;
  readonly maxLineBytes: number;
  /**
   * A file is read in segments of about this many bytes (each ends at the first record boundary
   * after it), with a checkpoint after each; at least twice `maxLineBytes`, so a record always
   * fits. Default {@link DEFAULT_SEGMENT_BYTES}.
   */
  readonly segmentBytes?: number;
  readonly maxRowErrors: number;
  /** Staged rows expire this long after they are written (the staging table's TTL). */
  readonly stagedRowsTtlMs: number;
}

/** The default {@link IngestSettings.segmentBytes}: 64 MiB, a few seconds of reading. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/** Per-invocation options of {@link ingestFile}. */
export interface IngestOptions {
  /**
   * Milliseconds the invocation may still run (Lambda's `getRemainingTimeInMillis`). Between
   * segments, when less than a reserve plus the slowest segment so far is left, the rest of
   * the file goes to a continuation message ({@link IngestDependencies.continuations}) and the
   * invocation returns: a timeout would be retried, time out again and end in the DLQ.
   * Without it, a file is read in one go.
   */
  readonly remainingTimeMs?: () => number;
  /** The segment to read: 0 (the default) for an S3 event, a continuation's `segment` otherwise. */
  readonly segment?: number;
  /**
   * Who asks: the same for every delivery of one queue message (its message id), so a retry
   * recognises the checkpoints its earlier attempt recorded. Default: a new random id.
   */
  readonly requestId?: string;
  /** The clock (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

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
  /**
   * `stale`: a later upload of the key is already recorded, so this one never counts;
   * `unavailable`: the upload was overwritten or deleted before it could be read.
   */
  | {
      readonly status: 'stale' | 'unavailable';
      readonly batchId: string;
      readonly kind: FileKind | 'manifest';
    }
  | {
      readonly status: 'staged' | 'already-staged';
      readonly batchId: string;
      readonly kind: FileKind;
      readonly rowsRead: number;
      readonly accepted: number;
      readonly rejected: number;
      /** The revision whose "batch ready" this invocation sent, if it sent one. */
      readonly requestedRevision?: number;
    }
  /** The invocation's time ran short: a continuation reads the file on from `segment`. */
  | {
      readonly status: 'continued';
      readonly batchId: string;
      readonly kind: FileKind;
      readonly segment: number;
      /** Data records read so far, earlier invocations included. */
      readonly rowsRead: number;
    }
  /** Another request already read past the requested segment: this one was delivered twice. */
  | {
      readonly status: 'duplicate';
      readonly batchId: string;
      readonly kind: FileKind;
      readonly segment: number;
    }
  | {
      readonly status: 'manifest-recorded' | 'manifest-rejected';
      readonly batchId: string;
      readonly requestedRevision?: number;
    };

/**
 * Ingests one uploaded object of a batch, in named steps: read its key, check what the batch
 * already knows of the upload, stream and stage its rows segment by segment (reporting each
 * segment's row errors), record how its rows are spread over buckets, commit it to the batch
 * state, then do what the commit leaves to it (report why the file does not count, report
 * expired files, send "batch ready" for the revision it allocated). A file too big to read in
 * the invocation's time is read on by continuations (`options.segment`), each starting at the
 * checkpoint the previous one recorded. A batch manifest (`_manifest.json`) goes to
 * {@link ingestBatchManifest}.
 *
 * Safe to run again for the same event or continuation (at-least-once delivery): a committed
 * upload only repeats the steps after its commit, an older upload of a key than one recorded
 * changes nothing, a segment read again writes the same chunks, and every message keeps its id.
 *
 * @example
 * const outcome = await ingestFile(location, dependencies, settings, { remainingTimeMs, requestId: record.messageId });
 * if (outcome.status === 'staged') logger.info('staged', outcome);
 */
export const ingestFile = async (
  location: ObjectLocation,
  dependencies: IngestDependencies,
  settings: IngestSettings,
  options: IngestOptions = {},
): Promise<IngestOutcome> => {
  const manifestBatchId = batchManifestIdOf(location.key, settings.inputPrefix);
  if (manifestBatchId !== undefined) {
    return ingestBatchManifest(location, manifestBatchId, dependencies, options.now ?? Date.now);
  }
  const parsed = parseBatchKey(location.key, settings.inputPrefix);
  if (!parsed.success) {
    const batchId = keyFolderOf(location.key, settings.inputPrefix);
    await reportUploadErrors(dependencies.sink, uploadOriginOf(batchId, location), [parsed.error]);
    return { status: 'rejected-key', key: location.key };
  }
  return ingestDataFile(location, parsed.data, dependencies, settings, options);
};

const ingestDataFile = async (
  location: ObjectLocation,
  batchKey: BatchKey,
  dependencies: IngestDependencies,
  settings: IngestSettings,
  options: IngestOptions,
): Promise<IngestOutcome> => {
  const { store, sink } = dependencies;
  const now = options.now ?? Date.now;
  const { batchId, kind } = batchKey;
  const upload: UploadIdentity = {
    key: location.key,
    kind,
    file: batchKey.file,
    version: objectVersionOf(location),
    sequencer: location.sequencer,
  };
  const origin = uploadOriginOf(batchId, location);
  const report = (errors: readonly RowError[]) => reportUploadErrors(sink, origin, errors);

  const known = (await store.readBatchState(batchId))?.state;
  const admission = admitUpload(known, upload);
  if (admission === 'stale') return { status: 'stale', batchId, kind };
  const refuseNewKey = async (): Promise<IngestOutcome> => {
    const error = tooManyFilesError(batchKey.file);
    await report([error]);
    return { status: 'rejected-file', batchId, kind, code: error.code, rowsRead: 0 };
  };
  if (admission === 'full') return refuseNewKey();
  if (admission === 'committed') {
    // A redelivered event whose upload is recorded: only the steps after the commit may be left.
    const record = known?.files.find((candidate) => candidate.key === upload.key);
    const requestedRevision = await sendPendingWork(
      known,
      requesterOf(upload),
      upload.key,
      origin,
      dependencies,
      now(),
    );
    const rows = record?.status === 'staged' ? record : undefined;
    return {
      status: 'already-staged',
      batchId,
      kind,
      rowsRead: rows?.rowsRead ?? 0,
      accepted: rows?.rowCount ?? 0,
      rejected: (rows?.rowsRead ?? 0) - (rows?.rowCount ?? 0),
      ...(requestedRevision !== undefined && { requestedRevision }),
    };
  }

  const rejectFile = async (error: RowError, rowsRead: number): Promise<IngestOutcome> => {
    await report([error]);
    await updateBatchState(store, batchId, (state) =>
      commitRejectedUpload(state, batchId, { ...upload, code: error.code }, now()),
    );
    return { status: 'rejected-file', batchId, kind, code: error.code, rowsRead };
  };
  if (location.size > settings.maxObjectBytes) {
    return rejectFile(fileTooLargeError(batchKey.file, location.size, settings.maxObjectBytes), 0);
  }

  const { remainingTimeMs } = options;
  const { continuations } = dependencies;
  if (remainingTimeMs !== undefined && continuations === undefined) {
    throw new TallyUsageError('a deadline (remainingTimeMs) needs dependencies.continuations');
  }
  let staged;
  try {
    staged = await stageUploadRows({
      location,
      batchKey,
      version: upload.version,
      request: { segment: options.segment ?? 0, requestId: options.requestId ?? randomUUID() },
      // One expiry for the chunks and the state's record of them: the state must not outlive
      // them. A file read in segments keeps the expiry its first segment set.
      expiresAt: now() + settings.stagedRowsTtlMs,
      segmentBytes: settings.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      source: dependencies.source,
      store,
      validators: dependencies.validators,
      maxLineBytes: settings.maxLineBytes,
      maxRowErrors: settings.maxRowErrors,
      // Row errors go out before the commit: a crash in between re-sends them with the same ids.
      report,
      ...(remainingTimeMs !== undefined &&
        continuations !== undefined && { deadline: { remainingTimeMs, continuations } }),
    });
  } catch (error) {
    if (!(error instanceof ObjectUnavailableError)) throw error;
    // An overwritten upload's successor brings its own event; a deleted one is reported.
    if (error.reason === 'deleted') await report([objectDeletedError(batchKey.file, location)]);
    return { status: 'unavailable', batchId, kind };
  }
  if (staged.status === 'rejected') return rejectFile(staged.error, staged.rowsRead);
  if (staged.status === 'continued') return { ...staged, batchId, kind };
  if (staged.status === 'duplicate') return { ...staged, batchId, kind };

  const { summary, bucketChunks, expiresAt } = staged;
  await recordBucketChunks(store, batchId, upload, bucketChunks, expiresAt);
  const committed = await updateBatchState(store, batchId, (state) =>
    commitStagedUpload(
      state,
      batchId,
      {
        ...upload,
        chunks: bucketChunks.reduce((sum, count) => sum + count, 0),
        ...(bucketChunks.length > 1 && { buckets: bucketChunks.length }),
        rowsRead: summary.rowsRead,
        rowCount: summary.accepted,
        sha256: staged.sha256,
        expiresAt,
      },
      now(),
    ),
  );
  if (committed.outcome === 'stale') return { status: 'stale', batchId, kind };
  // Other new keys filled the batch while this file was read: its staged rows just expire.
  if (committed.outcome === 'full') return refuseNewKey();
  const requestedRevision = await sendPendingWork(
    committed.state,
    requesterOf(upload),
    upload.key,
    origin,
    dependencies,
    now(),
  );
  return {
    status: 'staged',
    batchId,
    kind,
    rowsRead: summary.rowsRead,
    accepted: summary.accepted,
    rejected: summary.rejected,
    ...(requestedRevision !== undefined && { requestedRevision }),
  };
};

/**
 * Records the chunk count of each bucket of an upload spread over several (the aggregator reads
 * them from there), expiring with its chunks. Written once: a request that finds it written (a
 * duplicate, a retry) counted the same chunks.
 */
const recordBucketChunks = async (
  store: StagingStore,
  batchId: string,
  upload: Pick<UploadIdentity, 'key' | 'version'>,
  bucketChunks: readonly number[],
  expiresAt: number,
): Promise<void> => {
  if (bucketChunks.length === 1) return;
  await store.writeRecord(
    batchId,
    bucketsRecordName(upload.key, upload.version),
    { bucketChunks: [...bucketChunks] } satisfies StagedBuckets,
    undefined,
    expiresAt,
  );
};

/** Ingest's messages are about one upload: its key and version scope their ids. */
const uploadOriginOf = (batchId: string, location: ObjectLocation) => ({
  batchId,
  objectKey: location.key,
  objectVersion: objectVersionOf(location),
});
