import type { ErrorCode } from '../errors/errorCodes';
import type { FileKind } from '../batch/fileKind';

/**
 * An exact non-negative amount of money in millionths (scale 6): `19.99` is `19_990_000n`.
 * Never a binary float. Prices with more than 6 decimals are rejected at validation.
 */
export type Amount = bigint;

/** One per accepted customer of an aggregated batch. Seed contract: keep names and types. */
export interface CustomerMessage {
  readonly type: 'customer_message';
  readonly customer_reference: string;
  readonly number_of_orders: number;
  /** Serialised as a JSON number written from its exact decimal digits (`0.3`, `12345679`). */
  readonly total_amount_spent: Amount;
}

/** One per problem found. `type` and `message` are the seed contract; the rest is structure. */
export interface ErrorMessage {
  readonly type: 'error_message';
  readonly message: string;
  readonly code: ErrorCode;
  readonly batch_id: string;
  /** File name within the batch folder; absent only when the key itself names no file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly value?: string;
}

/** One file an aggregation used, as a `batch_summary` names it. */
export interface BatchSummaryFile {
  readonly kind: FileKind;
  readonly file: string;
  readonly object_key: string;
  readonly object_version: string;
  /** Accepted rows of the file that the aggregation read. */
  readonly rows: number;
}

/**
 * Sent after the last message of a revision's aggregation: a consumer that has received
 * `customer_messages` customer messages and `error_messages` error messages with this
 * `batch_revision` holds the whole revision.
 */
export interface BatchSummaryMessage {
  readonly type: 'batch_summary';
  readonly batch_id: string;
  readonly revision: number;
  readonly files: readonly BatchSummaryFile[];
  readonly customer_messages: number;
  readonly error_messages: number;
}

/** What Tally sends to the output queue. */
export type OutputMessage = CustomerMessage | ErrorMessage | BatchSummaryMessage;

/** The phases of a partitioned aggregation, in order. */
export const AGGREGATION_PHASES = ['orders', 'customers', 'finish'] as const;
export type AggregationPhase = (typeof AGGREGATION_PHASES)[number];

/** One task of a partitioned aggregation: a phase's work on one partition of references. */
export interface AggregationTask {
  readonly phase: AggregationPhase;
  /** 0-based; `finish` has one task, partition 0. */
  readonly partition: number;
  /** How many partitions the aggregation has (a power of two). */
  readonly partitions: number;
}

/**
 * Internal message on the aggregation queue: aggregate `revision` of a batch. Ingest sends it
 * when a commit allocates a revision; the aggregator sends it to itself, with the lease owner,
 * to continue an aggregation in a new invocation, and with a `task` for each partition of a
 * large batch's aggregation.
 */
export interface BatchReadyMessage {
  readonly type: 'batch_ready';
  readonly batch_id: string;
  readonly revision: number;
  /** Set on a continuation: the token of the lease (and progress) it carries on. */
  readonly lease_owner?: string;
  /** Set on a task of a partitioned aggregation. */
  readonly task?: AggregationTask;
}
