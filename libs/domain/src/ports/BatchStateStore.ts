import type { BatchState } from '../lifecycle/BatchState';

/** A batch state as stored, with the generation a conditional write must name. */
export interface StoredBatchState {
  readonly state: BatchState;
  /** Grows by one with every write of the batch's state. */
  readonly generation: number;
}

/**
 * Port: where the state of each batch is kept. Storage only: every rule about what the state
 * may become lives in the lifecycle transitions (`lifecycle/`); an adapter stores and returns the
 * value as given, and makes each write conditional on the generation it was read at.
 */
export interface BatchStateStore {
  /**
   * The batch's state, or `undefined` when none is stored or the stored one is past its
   * `expiresAt` (a store whose expiry deletes lazily, as DynamoDB's TTL does, must hide it).
   */
  readBatchState(batchId: string): Promise<StoredBatchState | undefined>;
  /**
   * Stores `state` (under `state.batchId`) if the stored state is still at generation
   * `expected`, or, with `expected` undefined, if no live state is stored. Returns false, having
   * written nothing, when the condition does not hold: another writer came first.
   */
  writeBatchState(state: BatchState, expected: number | undefined): Promise<boolean>;
}
