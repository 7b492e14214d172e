/**
 * A JSON value: what a record may hold (no class instances; a member `undefined` is stored as
 * absent).
 */
export type RecordValue =
  | string
  | number
  | boolean
  | null
  | readonly RecordValue[]
  | { readonly [name: string]: RecordValue | undefined };

/** A record as stored, with the generation a conditional write must name. */
export interface StoredRecord<T extends RecordValue = RecordValue> {
  readonly value: T;
  /** Grows by one with every write of the record. */
  readonly generation: number;
}

/**
 * Port: small named records of a batch, written conditionally like its state — the checkpoint of
 * a file read in segments, the progress of a partitioned aggregation and of each of its tasks.
 * Each lives until its own `expiresAt` and reads as absent after it.
 */
export interface RecordStore {
  /** The record `name` of the batch, or `undefined` when there is none or it expired. */
  readRecord(batchId: string, name: string): Promise<StoredRecord | undefined>;
  /**
   * Stores `value` as record `name` if the stored one is still at generation `expected`, or,
   * with `expected` undefined, if none is live. Returns false, having written nothing, when the
   * condition does not hold: another writer came first.
   */
  writeRecord(
    batchId: string,
    name: string,
    value: RecordValue,
    expected: number | undefined,
    expiresAt: number,
  ): Promise<boolean>;
}
