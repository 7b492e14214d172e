import { describeBatch, readRunProgress } from '@tally/domain';
import type { BatchDescription, RunProgress, StagingStore } from '@tally/domain';

/** A batch as `tally status` shows it: its description, and its partitioned run if any. */
export type BatchStatus = BatchDescription & { readonly run?: RunProgress };

/**
 * What `tally status` and `tally run` show of a batch: its stored state, described by the
 * domain's pure `describeBatch` (files, manifest, readiness, revision, lease and progress,
 * what was aggregated, phase), and how far the partitioned aggregation of its latest revision
 * is, when it has one. Undefined when nothing is stored: never staged, or expired.
 *
 * @example
 * (await readBatchDescription(store, '2024-06-01', Date.now()))?.phase; // 'aggregated'
 */
export const readBatchDescription = async (
  store: StagingStore,
  batchId: string,
  now: number,
): Promise<BatchStatus | undefined> => {
  const stored = await store.readBatchState(batchId);
  if (stored === undefined) return undefined;
  const revision = stored.state.revision?.number;
  const run = revision === undefined ? undefined : await readRunProgress(store, batchId, revision);
  return { ...describeBatch(stored.state, now), ...(run !== undefined && { run }) };
};
