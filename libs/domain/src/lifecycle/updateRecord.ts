import { TallyError } from '../errors/TallyError';
import type { RecordStore, RecordValue } from '../ports/RecordStore';

/** Another writer kept changing a record: the transition could not be written. */
export class RecordContentionError extends TallyError {}

/** Writes that may lose a race before {@link updateRecord} gives up. */
const MAX_ATTEMPTS = 50;

/** What a record transition decides: the value to write (none: leave it) and its outcome. */
export interface RecordTransition<T extends RecordValue, O> {
  readonly next?: T;
  readonly outcome: O;
}

/**
 * Applies a transition to a stored record with optimistic concurrency, as `updateBatchState`
 * does for the batch state: read, decide, write only if nobody wrote in between, else again on
 * what they wrote. Many tasks of one aggregation finish at once, so a lost race waits a random
 * few milliseconds (more after each loss) before it reads again.
 *
 * @example
 * const { outcome } = await updateRecord(store, 'b1', 'run:3', expiresAt, (run) => taskDone(run, 'orders', 5));
 */
export const updateRecord = async <T extends RecordValue, O>(
  store: RecordStore,
  batchId: string,
  name: string,
  expiresAt: number,
  transition: (value: T | undefined) => RecordTransition<T, O>,
): Promise<{ readonly outcome: O; readonly value: T | undefined }> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const stored = await store.readRecord(batchId, name);
    const current = stored?.value as T | undefined;
    const { next, outcome } = transition(current);
    if (next === undefined) return { outcome, value: current };
    if (await store.writeRecord(batchId, name, next, stored?.generation, expiresAt))
      return { outcome, value: next };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
  throw new RecordContentionError(
    `record ${JSON.stringify(name)} of batch ${JSON.stringify(batchId)} changed under ${MAX_ATTEMPTS} attempts to update it`,
  );
};
