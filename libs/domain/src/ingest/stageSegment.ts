import type { BatchKey } from '../batch/parseBatchKey';
import type { FileKind } from '../batch/fileKind';
import { readCsvRecordBatches } from '../csv/readCsvRecords';
import { untilRecordBoundary } from '../csv/untilRecordBoundary';
import type { SegmentEnd } from '../csv/untilRecordBoundary';
import { Sha256 } from '../digest/Sha256';
import type { RowError } from '../errors/RowError';
import { referenceHash, slotOf } from '../partitioning/referenceHash';
import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import { validateRecordBatches } from '../rows/validateFile';
import type { FileValidationSummary } from '../rows/validateFile';
import { PARTITION_REFERENCE_OF } from '../staging/stagedBuckets';
import { StagedChunkBuilder } from '../staging/stagedRowCodec';
import type { StagedRowOfKind } from '../staging/stagedRowTypes';
import type { RowValidators } from '../validation/RowValidator';
import type { IngestCheckpoint } from './IngestCheckpoint';
import type { StagedChunkWriter } from './StagedChunkWriter';

/** What reading one segment of an upload needs. */
export interface SegmentInput {
  readonly location: ObjectLocation;
  readonly batchKey: BatchKey;
  /** Where the segment starts, and what the segments before it left. */
  readonly from: Omit<IngestCheckpoint, 'recordedBy'>;
  readonly source: ObjectSource;
  readonly writer: StagedChunkWriter;
  /** The most bytes of encoded rows one chunk may hold (the store's). */
  readonly maxChunkBytes: number;
  readonly validators: RowValidators;
  readonly maxLineBytes: number;
  readonly maxRowErrors: number;
}

/** The outcome of {@link stageSegment}. */
export type StagedSegment =
  | {
      readonly status: 'read';
      /** Where the next segment starts (`recordedBy` is the caller's to set). */
      readonly next: Omit<IngestCheckpoint, 'recordedBy'>;
      /** No bytes are left for another segment. */
      readonly complete: boolean;
      /** The counts of the whole file so far. */
      readonly summary: FileValidationSummary;
      /** The segment's row errors, in file order, within the file's cap. */
      readonly rowErrors: readonly RowError[];
    }
  /** The whole file is rejected: `error` says why. The chunks written so far expire. */
  | { readonly status: 'rejected'; readonly error: RowError; readonly rowsRead: number };

/**
 * Reads one segment of an upload: from `from.offset` on (a ranged read of the same upload), at
 * least `from.segmentBytes` bytes and on to the end of the record that straddles that mark, or
 * to the end of the file. Validates its rows with the header and counts the segments before it
 * left, spreads the accepted ones over the upload's buckets by a hash of their reference, writes
 * them as chunks (each bucket's chunk indexes going on from `from.bucketChunks`, its last chunk
 * written even if not full), and hashes the bytes on from `from.sha256`. Returns where the next
 * segment starts.
 *
 * The segment ends at the same byte however the source's reads are cut (the mark is cut out of
 * them), so a segment read again, after a crash or by a duplicate request, writes the same rows
 * into the same chunks. Throws what the source or the store throw (for example
 * `ObjectUnavailableError`); the object's stream is closed however reading ends.
 *
 * @example
 * const segment = await stageSegment({ location, batchKey, from, source, writer, maxChunkBytes, validators, maxLineBytes, maxRowErrors });
 * if (segment.status === 'read' && !segment.complete) await record(segment.next);
 */
export const stageSegment = async (input: SegmentInput): Promise<StagedSegment> => {
  const { from, writer } = input;
  const { kind, file } = input.batchKey;
  const digest = Sha256.resume(from.sha256);
  const end: SegmentEnd = { bytes: 0, lineFeeds: 0, complete: false };
  const bytes = untilRecordBoundary(
    cutAt(input.source.open(input.location, from.offset), from.segmentBytes),
    (bytesSoFar) => bytesSoFar >= from.segmentBytes,
    end,
  );
  const batches = validateRecordBatches({
    kind,
    file,
    records: readCsvRecordBatches(hashed(bytes, digest), {
      maxLineBytes: input.maxLineBytes,
      ...(from.progress !== undefined && { continuedAtLine: from.line }),
    }),
    validators: input.validators,
    maxRowErrors: input.maxRowErrors,
    ...(from.progress !== undefined && { resume: from.progress }),
  });
  const buckets = from.bucketChunks.length;
  const bucketChunks = [...from.bucketChunks];
  const builders = Array.from(
    { length: buckets },
    () => new StagedChunkBuilder(kind, { maxChunkBytes: input.maxChunkBytes }),
  );
  const bucketOf = bucketOfRow(kind, buckets);
  const nextIndexOf = (bucket: number): number => {
    const index = bucketChunks[bucket] ?? 0;
    bucketChunks[bucket] = index + 1;
    return index;
  };
  const rowErrors: RowError[] = [];
  let summary: FileValidationSummary;
  try {
    let next = await batches.next();
    for (; !next.done; next = await batches.next()) {
      for (const row of next.value.rows) {
        const bucket = bucketOf(row);
        const full = builders[bucket]?.add(row);
        if (full) await writer.add(bucket, nextIndexOf(bucket), full);
      }
      rowErrors.push(...next.value.errors);
    }
    summary = next.value;
  } finally {
    // Closes the object's stream however reading ended (done, rejected, a failed write): an
    // open S3 socket would outlive the invocation in a warm container.
    await batches.return(undefined as never);
  }
  if (summary.fileError) {
    await writer.abandon(); // the chunks written are never referenced, and expire
    return { status: 'rejected', error: summary.fileError, rowsRead: summary.rowsRead };
  }
  for (const [bucket, builder] of builders.entries()) {
    const last = builder.flush();
    if (last) await writer.add(bucket, nextIndexOf(bucket), last);
  }
  await writer.flush();
  const offset = from.offset + end.bytes;
  const { header } = summary;
  return {
    status: 'read',
    next: {
      segment: from.segment + 1,
      offset,
      line: from.line + end.lineFeeds,
      bucketChunks,
      ...(header !== undefined && {
        progress: {
          header,
          rowsRead: summary.rowsRead,
          accepted: summary.accepted,
          rejected: summary.rejected,
          rowErrors: summary.rowErrors,
        },
      }),
      sha256: digest.state(),
      expiresAt: from.expiresAt,
      segmentBytes: from.segmentBytes,
    },
    // A segment that ends with the file's last byte does not see the source end: it stops at
    // the record boundary there. No byte is left to read either way.
    complete: end.complete || offset >= input.location.size,
    summary,
    rowErrors,
  };
};

/** The bucket of each row: a hash of its partition reference, or 0 for an upload of one bucket. */
const bucketOfRow = (
  kind: FileKind,
  buckets: number,
): ((row: StagedRowOfKind[FileKind]) => number) => {
  if (buckets === 1) return () => 0;
  const referenceOf = PARTITION_REFERENCE_OF[kind] as (row: StagedRowOfKind[FileKind]) => string;
  return (row) => slotOf(referenceHash(referenceOf(row)), buckets);
};

/** The bytes of `source`, with a piece that spans byte `at` cut in two there. */
async function* cutAt(source: AsyncIterable<Uint8Array>, at: number): AsyncGenerator<Uint8Array> {
  let passed = 0;
  for await (const piece of source) {
    if (passed < at && passed + piece.length > at) {
      yield piece.subarray(0, at - passed);
      yield piece.subarray(at - passed);
    } else {
      yield piece;
    }
    passed += piece.length;
  }
}

async function* hashed(
  bytes: AsyncIterable<Uint8Array>,
  digest: Sha256,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    digest.update(chunk);
    yield chunk;
  }
}
