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

/** What Tally sends to the output queue. */
export type OutputMessage = CustomerMessage | ErrorMessage;

/** The staged version of one file of a batch, as the manifest records it. */
export interface StagedFile {
  /** File name within the batch folder, e.g. `orders.csv`. */
  readonly file: string;
  /** Identifies this upload: derived from the object's eTag and the S3 event sequencer. */
  readonly version: string;
  /** How many chunk items hold its accepted rows. */
  readonly chunks: number;
}

/** Internal message on the aggregation queue: all three kinds of a batch are staged. */
export interface BatchReadyMessage {
  readonly type: 'batch_ready';
  readonly batch_id: string;
  readonly files: { readonly [K in FileKind]: StagedFile };
}
