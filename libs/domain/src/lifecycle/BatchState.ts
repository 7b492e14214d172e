import type { FileKind } from '../batch/fileKind';
import type { ErrorCode } from '../errors/errorCodes';

/**
 * The latest upload of one object key of a batch, staged: its accepted rows are stored in
 * `chunks` chunk items under its `version`.
 */
export interface StagedBatchFile {
  readonly status: 'staged';
  readonly key: string;
  readonly kind: FileKind;
  /** The file name within the batch folder, e.g. `items-2.csv`. */
  readonly file: string;
  /**
   * When the key was first recorded in the batch (0, 1, 2 …): without a manifest, the first
   * key of a kind is that kind's file.
   */
  readonly order: number;
  /** Identifies this upload of the key: the S3 version id, or the event's sequencer and eTag. */
  readonly version: string;
  /** The S3 event sequencer of this upload: later uploads of the key have greater ones. */
  readonly sequencer: string;
  /** Chunks in all its buckets. */
  readonly chunks: number;
  /**
   * Buckets its rows are spread over by a hash of their reference (absent: 1). With more than
   * one, each bucket's chunk count is in the upload's buckets record (`staging/stagedBuckets`).
   */
  readonly buckets?: number;
  /** Data records read (accepted and rejected rows). */
  readonly rowsRead: number;
  /** Accepted rows: what the chunks hold. */
  readonly rowCount: number;
  /** Lower-case hex SHA-256 of the object's bytes. */
  readonly sha256: string;
  /** Epoch ms after which the staged rows may be gone (the table's TTL). */
  readonly expiresAt: number;
}

/** The latest upload of one object key of a batch, rejected as a whole: the key has no rows. */
export interface RejectedBatchFile {
  readonly status: 'rejected';
  readonly key: string;
  readonly kind: FileKind;
  readonly file: string;
  readonly order: number;
  readonly version: string;
  readonly sequencer: string;
  /** Why the whole file was rejected (its `error_message` said so when it was read). */
  readonly code: ErrorCode;
}

/** What a batch knows of one object key: the latest upload of it, staged or rejected. */
export type BatchFile = StagedBatchFile | RejectedBatchFile;

/** One file a batch manifest (`_manifest.json`) lists, with the checks it asks for. */
export interface PlannedFile {
  /** The file name within the batch folder, e.g. `items-3.csv`. */
  readonly file: string;
  /** The number of data records the file must have (header and empty lines not counted). */
  readonly rows?: number;
  /** The lower-case hex SHA-256 the file's bytes must have. */
  readonly sha256?: string;
}

/** The latest batch manifest object of a batch: the files the batch is made of. */
export type BatchPlan =
  | {
      readonly status: 'valid';
      readonly version: string;
      readonly sequencer: string;
      readonly files: readonly PlannedFile[];
    }
  | {
      readonly status: 'rejected';
      readonly version: string;
      readonly sequencer: string;
      readonly code: ErrorCode;
    };

/** One file an aggregation reads: a staged upload of one key. */
export interface RevisionFile {
  readonly key: string;
  readonly kind: FileKind;
  readonly file: string;
  readonly version: string;
  readonly chunks: number;
  /** As the staged upload's (absent: 1). */
  readonly buckets?: number;
  readonly rowCount: number;
  /** Epoch ms after which its staged rows may be gone. */
  readonly expiresAt: number;
}

/**
 * A combination of current files that the batch committed, under its number. Numbers go 1, 2,
 * 3 … and are never reused: every message of an aggregation carries its revision, so a
 * consumer can tell a later truth from an earlier one.
 */
export interface BatchRevision {
  readonly number: number;
  /** In aggregation order: customers, orders, items; within a kind, in manifest order. */
  readonly files: readonly RevisionFile[];
  /** The upload (or operator) whose commit made this revision: only it sends "batch ready". */
  readonly requestedBy: string;
  /** Epoch ms when it was allocated. */
  readonly createdAt: number;
}

/**
 * Who aggregates which revision, until when, and how far they got. The owner is the request
 * being handled (stable across its retries), so a crashed holder's retry takes its lease over
 * at once, while another request for the same revision leaves it alone. The attempt is the
 * invocation holding it: when two invocations of one request run at once (SQS delivers a
 * message twice, or a retry starts while the first is still sending), the later claim wins and
 * the other stops at its next progress record.
 */
export interface AggregationLease {
  readonly revision: number;
  readonly owner: string;
  /** The invocation holding the lease; empty while a handed-over lease waits for its claim. */
  readonly attempt: string;
  /**
   * Set when a holder handed the rest to a continuation request (`owner` is then its token):
   * the handing request may still reclaim it, in case its continuation was never sent.
   */
  readonly handedBy?: string;
  /** Epoch ms; past it, another request for the revision may take over. */
  readonly leaseUntil: number;
  /** Messages of the revision sent so far, in the aggregation's fixed order. */
  readonly sent: number;
}

/** The last revision whose aggregation ended: every message sent, or its rows expired. */
export interface AggregatedRevision {
  readonly revision: number;
  readonly outcome: 'sent' | 'expired';
  readonly customerMessages: number;
  readonly errorMessages: number;
}

/**
 * Everything Tally records about one batch, as one value: the files it has seen, its manifest,
 * its latest revision, who aggregates it and how far, and what was aggregated. Every change is
 * a pure transition of this value (see `lifecycle/`), written back only if the stored value is
 * still the one the transition started from.
 */
export interface BatchState {
  readonly batchId: string;
  /** One entry per object key, in the order the keys were first recorded. */
  readonly files: readonly BatchFile[];
  readonly plan?: BatchPlan;
  readonly revision?: BatchRevision;
  readonly lease?: AggregationLease;
  readonly aggregated?: AggregatedRevision;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
  /** Epoch ms after which the batch is forgotten (the stored state expires). */
  readonly expiresAt: number;
}

/** How long staged data lives: the staging table's TTL. */
export interface LifecycleSettings {
  /** Staged rows expire this long after they are written. */
  readonly stagedRowsTtlMs: number;
}
