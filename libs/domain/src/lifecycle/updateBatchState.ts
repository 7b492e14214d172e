import { TallyError } from '../errors/TallyError';
import type { BatchStateStore, StoredBatchState } from '../ports/BatchStateStore';
import type { BatchState } from './BatchState';
import type { Transition } from './Transition';

/** Another writer kept changing the batch state: the transition could not be written. */
export class BatchStateContentionError extends TallyError {}

/** Writes that may lose a race before {@link updateBatchState} gives up. */
const MAX_ATTEMPTS = 50;

/** What {@link updateBatchState} returns: the transition's outcome and the state it left. */
export interface StateUpdate<O> {
  readonly outcome: O;
  /** The state written, or the state read when the transition changed nothing. */
  readonly state: BatchState | undefined;
}

/**
 * Applies a lifecycle transition to a batch's stored state: reads it, runs `transition`, and
 * writes the result only if the stored state is still the one read (optimistic concurrency).
 * When another writer came first, it reads again and runs the transition on the new state, so
 * concurrent commits, claims and progress reports all land, each on top of the others.
 * A caller that has just read the state passes it as `read`, so the first attempt starts from
 * it instead of reading again (a stale one only costs a retry: the write is conditional).
 *
 * @example
 * const { outcome } = await updateBatchState(store, 'b1', (state) => recordProgress(state, progress, Date.now()));
 */
export const updateBatchState = async <O>(
  store: BatchStateStore,
  batchId: string,
  transition: (state: BatchState | undefined) => Transition<O>,
  read?: { readonly stored: StoredBatchState | undefined },
): Promise<StateUpdate<O>> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const stored =
      attempt === 1 && read !== undefined ? read.stored : await store.readBatchState(batchId);
    const { next, outcome } = transition(stored?.state);
    if (next === undefined) return { outcome, state: stored?.state };
    if (await store.writeBatchState(next, stored?.generation)) return { outcome, state: next };
  }
  throw new BatchStateContentionError(
    `the state of batch ${JSON.stringify(batchId)} changed under ${MAX_ATTEMPTS} attempts to update it`,
  );
};
