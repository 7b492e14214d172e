import { Sha256 } from '../digest/Sha256';
import type { Sha256State } from '../digest/Sha256';
import { TallyError } from '../errors/TallyError';
import { updateRecord } from '../lifecycle/updateRecord';
import type { RecordStore, RecordValue } from '../ports/RecordStore';
import type { FileValidationProgress } from '../rows/validateFile';

/**
 * Where the reading of one upload stands between two segments: everything the next segment
 * needs to go on as if the file were read in one go. Stored as a record of the batch, one per
 * upload, written after each segment but the last.
 */
export interface IngestCheckpoint {
  /** Segments read so far, so the next one to read: 0 before the first. */
  readonly segment: number;
  /** The byte where that segment starts. */
  readonly offset: number;
  /** The physical line (1-based) where it starts. */
  readonly line: number;
  /** Chunks written so far in each bucket: the index of each bucket's next chunk. */
  readonly bucketChunks: readonly number[];
  /** The header and the counts so far; absent before the first segment. */
  readonly progress?: FileValidationProgress;
  /** The SHA-256 of the bytes before `offset`. */
  readonly sha256: Sha256State;
  /** When the upload's chunks (and this record) expire: set once, before the first segment. */
  readonly expiresAt: number;
  /**
   * The segment size the reading started with. Kept, so every reading of a segment cuts it at
   * the same byte even if the setting changes meanwhile: chunk ids then name the same rows.
   */
  readonly segmentBytes: number;
  /** The request (the queue message) whose invocation recorded it. */
  readonly recordedBy: string;
}

/** Which request asks to read an upload, and from which segment. */
export interface SegmentRequest {
  /** 0 for an S3 event; a continuation's `segment` otherwise. */
  readonly segment: number;
  /** Stays the same across redeliveries of one queue message (its message id). */
  readonly requestId: string;
}

/** A checkpoint record that cannot be used: another format, or none where one must be. */
export class IngestCheckpointError extends TallyError {}

/**
 * What a request does, given the upload's stored checkpoint:
 * - `read` from the checkpoint (`undefined`: from the file's start) when it names the
 *   request's segment, or when this very request recorded it (a retry after the invocation
 *   stopped part-way: it goes on where it got to, and sends the continuation it may have lost);
 * - `duplicate` when another request has read past the requested segment: a continuation (or
 *   an S3 event) delivered twice, acknowledged without reading.
 *
 * Throws {@link IngestCheckpointError} for a continuation ahead of the checkpoint: continuations
 * are sent only after their checkpoint is written, so its record expired or was lost.
 *
 * @example
 * resumePointOf(undefined, { segment: 0, requestId: 'm1' }); // { action: 'read', checkpoint: undefined }
 */
export const resumePointOf = (
  stored: IngestCheckpoint | undefined,
  request: SegmentRequest,
):
  | { readonly action: 'read'; readonly checkpoint: IngestCheckpoint | undefined }
  | { readonly action: 'duplicate'; readonly segment: number } => {
  const segment = stored?.segment ?? 0;
  if (segment === request.segment || stored?.recordedBy === request.requestId)
    return { action: 'read', checkpoint: stored };
  if (segment > request.segment) return { action: 'duplicate', segment };
  throw new IngestCheckpointError(
    `a continuation asks for segment ${request.segment}, but the upload's checkpoint is at segment ${segment}: the checkpoint record expired or was lost`,
  );
};

/**
 * The name of an upload's checkpoint record: a digest of its key and version, so the name
 * stays short whatever the key.
 */
export const ingestCheckpointName = (key: string, version: string): string =>
  `ingest:${new Sha256()
    .update(new TextEncoder().encode(`${key}\0${version}`))
    .hex()
    .slice(0, 32)}`;

/**
 * The upload's checkpoint, or `undefined` before its first one (or after it expired).
 *
 * @example
 * const checkpoint = await readIngestCheckpoint(store, 'b1', ingestCheckpointName(key, version));
 */
export const readIngestCheckpoint = async (
  store: RecordStore,
  batchId: string,
  name: string,
): Promise<IngestCheckpoint | undefined> => {
  const stored = await store.readRecord(batchId, name);
  return stored === undefined ? undefined : checkpointOf(stored.value, name);
};

/**
 * Records `next` as the upload's checkpoint if the stored one is still at segment `expected`
 * (none at all for 0). Returns false, having written nothing, when another invocation recorded
 * that segment's end first.
 *
 * @example
 * if (!(await recordIngestCheckpoint(store, 'b1', name, 3, next))) return 'duplicate';
 */
export const recordIngestCheckpoint = async (
  store: RecordStore,
  batchId: string,
  name: string,
  expected: number,
  next: IngestCheckpoint,
): Promise<boolean> => {
  const { outcome } = await updateRecord<RecordValue, boolean>(
    store,
    batchId,
    name,
    next.expiresAt,
    (current) => {
      const segment = current === undefined ? 0 : checkpointOf(current, name).segment;
      return segment === expected
        ? { next: recordValueOf(next), outcome: true }
        : { outcome: false };
    },
  );
  return outcome;
};

/** The checkpoint as a record value: plain JSON, field by field. */
const recordValueOf = (checkpoint: IngestCheckpoint): RecordValue => {
  const { progress, sha256 } = checkpoint;
  return {
    segment: checkpoint.segment,
    offset: checkpoint.offset,
    line: checkpoint.line,
    bucketChunks: [...checkpoint.bucketChunks],
    ...(progress !== undefined && {
      progress: {
        header: { width: progress.header.width, at: [...progress.header.at] },
        rowsRead: progress.rowsRead,
        accepted: progress.accepted,
        rejected: progress.rejected,
        rowErrors: progress.rowErrors,
      },
    }),
    sha256: { words: [...sha256.words], pending: sha256.pending, length: sha256.length },
    expiresAt: checkpoint.expiresAt,
    segmentBytes: checkpoint.segmentBytes,
    recordedBy: checkpoint.recordedBy,
  };
};

const NUMBER_FIELDS = ['segment', 'offset', 'line', 'expiresAt', 'segmentBytes'] as const;

/** The checkpoint a record holds; throws when the record is not one this version writes. */
const checkpointOf = (value: RecordValue, name: string): IngestCheckpoint => {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Readonly<
    Record<string, unknown>
  >;
  const valid =
    NUMBER_FIELDS.every((field) => typeof fields[field] === 'number') &&
    Array.isArray(fields['bucketChunks']) &&
    typeof fields['sha256'] === 'object' &&
    typeof fields['recordedBy'] === 'string';
  if (!valid) throw new IngestCheckpointError(`record ${name} does not hold an ingest checkpoint`);
  return value as unknown as IngestCheckpoint;
};
