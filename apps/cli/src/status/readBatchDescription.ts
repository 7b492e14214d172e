import { describeBatch } from '@tally/domain';
import type { BatchDescription, BatchStateStore } from '@tally/domain';

/**
 * What `tally status` and `tally run` show of a batch: its stored state, described by the
 * domain's pure `describeBatch` (files, manifest, readiness, revision, lease and progress,
 * what was aggregated, phase). Undefined when nothing is stored: never staged, or expired.
 *
 * @example
 * (await readBatchDescription(store, '2024-06-01', Date.now()))?.phase; // 'aggregated'
 */
export const readBatchDescription = async (
  store: BatchStateStore,
  batchId: string,
  now: number,
): Promise<BatchDescription | undefined> => {
  const stored = await store.readBatchState(batchId);
  return stored === undefined ? undefined : describeBatch(stored.state, now);
};
