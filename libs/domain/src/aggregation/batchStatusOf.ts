import { combinationOf } from '../ingest/combinationOf';
import type { BatchManifest } from '../ports/StagingStore';

/** Where a batch stands: all three kinds staged and their current combination aggregated, or not. */
export type BatchStatus = 'aggregated' | 'incomplete';

/**
 * Reads a batch's status from its manifest: `aggregated` only when the current file of every
 * kind belongs to the combination last aggregated (a newer upload re-opens the batch).
 *
 * @example
 * batchStatusOf(await store.readManifest('2024-06-01')); // 'incomplete'
 */
export const batchStatusOf = (manifest: BatchManifest | undefined): BatchStatus => {
  const { customers, orders, items } = manifest?.files ?? {};
  if (!manifest || !customers || !orders || !items) return 'incomplete';
  return manifest.aggregatedCombination === combinationOf({ customers, orders, items })
    ? 'aggregated'
    : 'incomplete';
};
