import type { BatchKey } from '../batch/parseBatchKey';
import { Sha256 } from '../digest/Sha256';
import type { RowError } from '../errors/RowError';
import { TallyUsageError } from '../errors/TallyUsageError';
import type { IngestContinuations } from '../ports/IngestContinuations';
import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import type { StagingStore } from '../ports/StagingStore';
import { tooManyRowErrors } from '../rows/validateFile';
import type { FileValidationSummary } from '../rows/validateFile';
import { bucketCountOf } from '../staging/stagedBuckets';
import type { RowValidators } from '../validation/RowValidator';
import {
  ingestCheckpointName,
  readIngestCheckpoint,
  recordIngestCheckpoint,
  resumePointOf,
} from './IngestCheckpoint';
import type { IngestCheckpoint, SegmentRequest } from './IngestCheckpoint';
import { stageSegment } from './stageSegment';
import { StagedChunkWriter } from './StagedChunkWriter';

/** The most time an invocation keeps for itself after its last segment: record, send, return. */
export const MAX_TIME_RESERVE_MS = 30_000;

/** What staging an upload's rows needs. */
export interface StageUploadInput {
  readonly location: ObjectLocation;
  readonly batchKey: BatchKey;
  /** The upload's version: its chunks and checkpoint are stored under it. */
  readonly version: string;
  /** The segment to read and who asks. */
  readonly request: SegmentRequest;
  /** Epoch ms when the chunks may be dropped, if the reading starts now (a resumed one keeps its own). */
  readonly expiresAt: number;
  /** Bytes per segment (see `IngestSettings.segmentBytes`). */
  readonly segmentBytes: number;
  readonly source: ObjectSource;
  readonly store: StagingStore;
  readonly validators: RowValidators;
  readonly maxLineBytes: number;
  readonly maxRowErrors: number;
  /** Sends row errors as `error_message`s. */
  readonly report: (errors: readonly RowError[]) => Promise<void>;
  /** Set in a Lambda: stop between segments while time is left, and hand the rest on. */
  readonly deadline?: {
    /** Milliseconds the invocation may still run. */
    readonly remainingTimeMs: () => number;
    readonly continuations: IngestContinuations;
  };
}

/** The outcome of {@link stageUploadRows}. */
export type StagedRows =
  | {
      readonly status: 'staged';
      /** The counts of the whole file. */
      readonly summary: FileValidationSummary;
      /** The chunk count of each bucket. */
      readonly bucketChunks: readonly number[];
      /** Lower-case hex SHA-256 of the whole object. */
      readonly sha256: string;
      /** When the chunks expire. */
      readonly expiresAt: number;
    }
  /**
   * The whole file is rejected: `error` says why and is not sent yet. The row errors of the
   * segments before it were sent; the chunks already written expire.
   */
  | { readonly status: 'rejected'; readonly error: RowError; readonly rowsRead: number }
  /** The invocation's time runs short: a continuation was sent to read on from `segment`. */
  | { readonly status: 'continued'; readonly segment: number; readonly rowsRead: number }
  /** Another request read past the segment asked for (a message delivered twice): nothing done. */
  | { readonly status: 'duplicate'; readonly segment: number };

/**
 * Reads an upload in consecutive segments (see `stageSegment`), as many as the invocation's time
 * allows, and stages its accepted rows. Each segment, in order: its chunks are written, its row
 * errors sent (within the file's cap, counted across segments; the file's last segment adds the
 * `TOO_MANY_ROW_ERRORS` summary), then, unless it was the last, the checkpoint recorded with a
 * write conditional on the segment it started from. When the time left is less than a reserve
 * plus the slowest segment so far, the rest goes to a continuation message, sent after the
 * checkpoint.
 *
 * Safe to repeat: a segment read again writes the same chunks and sends the same messages (ids
 * are content-based), and a request that finds its segment recorded by another request stops
 * (`duplicate`), so only one reading goes on. A file that fits in one segment needs no
 * checkpoint at all. Throws what the source or the store throw (for example
 * `ObjectUnavailableError`).
 *
 * @example
 * const staged = await stageUploadRows({ location, batchKey, version, request: { segment: 0, requestId }, expiresAt, segmentBytes, source, store, validators, maxLineBytes, maxRowErrors, report });
 */
export const stageUploadRows = async (input: StageUploadInput): Promise<StagedRows> => {
  const { location, batchKey, store, request, deadline } = input;
  if (input.segmentBytes < 2 * input.maxLineBytes) {
    throw new TallyUsageError(
      `segmentBytes (${input.segmentBytes}) must be at least twice maxLineBytes (${input.maxLineBytes}), so that a record always fits in a segment`,
    );
  }
  const checkpointName = ingestCheckpointName(location.key, input.version);
  // A file of one segment never has a checkpoint: no need to look for one.
  const fitsOneSegment = request.segment === 0 && location.size <= input.segmentBytes;
  const resume = resumePointOf(
    fitsOneSegment
      ? undefined
      : await readIngestCheckpoint(store, batchKey.batchId, checkpointName),
    request,
  );
  if (resume.action === 'duplicate') return { status: 'duplicate', segment: resume.segment };
  let from: IngestCheckpoint = resume.checkpoint ?? {
    segment: 0,
    offset: 0,
    line: 1,
    bucketChunks: new Array<number>(bucketCountOf(location.size)).fill(0),
    sha256: new Sha256().state(),
    expiresAt: input.expiresAt,
    segmentBytes: input.segmentBytes,
    recordedBy: request.requestId,
  };
  const writer = new StagedChunkWriter(store, {
    batchId: batchKey.batchId,
    key: location.key,
    version: input.version,
    expiresAt: from.expiresAt,
  });
  const reserveMs = deadline ? Math.min(MAX_TIME_RESERVE_MS, deadline.remainingTimeMs() / 5) : 0;
  let slowestMs = 0;
  for (;;) {
    const startedWithMs = deadline?.remainingTimeMs() ?? 0;
    const segment = await stageSegment({
      location,
      batchKey,
      from,
      source: input.source,
      writer,
      maxChunkBytes: store.maxChunkBytes,
      validators: input.validators,
      maxLineBytes: input.maxLineBytes,
      maxRowErrors: input.maxRowErrors,
    });
    if (segment.status === 'rejected') return segment;
    const { summary } = segment;
    const tooMany = segment.complete
      ? tooManyRowErrors(batchKey.file, summary.rowErrors, input.maxRowErrors)
      : undefined;
    await input.report(tooMany === undefined ? segment.rowErrors : [...segment.rowErrors, tooMany]);
    if (segment.complete) {
      return {
        status: 'staged',
        summary,
        bucketChunks: segment.next.bucketChunks,
        sha256: Sha256.resume(segment.next.sha256).hex(),
        expiresAt: from.expiresAt,
      };
    }
    const next: IngestCheckpoint = { ...segment.next, recordedBy: request.requestId };
    if (
      !(await recordIngestCheckpoint(store, batchKey.batchId, checkpointName, from.segment, next))
    )
      return { status: 'duplicate', segment: from.segment };
    from = next;
    if (deadline === undefined) continue;
    const leftMs = deadline.remainingTimeMs();
    slowestMs = Math.max(slowestMs, startedWithMs - leftMs);
    if (leftMs < reserveMs + slowestMs) {
      await deadline.continuations.continueIngest({
        type: 'ingest_continuation',
        bucket: location.bucket,
        key: location.key,
        size: location.size,
        e_tag: location.eTag,
        sequencer: location.sequencer,
        ...(location.versionId !== undefined && { version_id: location.versionId }),
        segment: next.segment,
      });
      return { status: 'continued', segment: next.segment, rowsRead: summary.rowsRead };
    }
  }
};
