import { FILE_KINDS, combinationOf } from '@tally/domain';
import type { BatchManifest, BatchReadyMessage, FileKind, StagedFile } from '@tally/domain';

/** Whether a batch can be replayed, and with which message. */
export type BatchReadiness =
  | {
      readonly status: 'ready';
      readonly message: BatchReadyMessage;
      /** The combination of file versions the message names (see `combinationOf`). */
      readonly combination: string;
      /** That combination was aggregated already: the aggregator would skip the message. */
      readonly aggregated: boolean;
    }
  | { readonly status: 'unknown' }
  | { readonly status: 'incomplete'; readonly missing: readonly FileKind[] };

/**
 * The `batch_ready` message for the batch's three current files, as ingest sends it when the
 * last of them is staged.
 *
 * @example
 * const readiness = batchReadyMessageOf('b1', await store.readManifest('b1'));
 * if (readiness.status === 'ready') await requests.requestAggregation(readiness.message);
 */
export const batchReadyMessageOf = (
  batchId: string,
  manifest: BatchManifest | undefined,
): BatchReadiness => {
  if (!manifest) return { status: 'unknown' };
  const { customers, orders, items } = manifest.files;
  if (!customers || !orders || !items)
    return { status: 'incomplete', missing: FILE_KINDS.filter((kind) => !manifest.files[kind]) };
  // Only what the message carries: the manifest's files also hold key, sequencer and row count.
  const stagedFileOf = (file: StagedFile): StagedFile => ({
    file: file.file,
    version: file.version,
    chunks: file.chunks,
  });
  const files = {
    customers: stagedFileOf(customers),
    orders: stagedFileOf(orders),
    items: stagedFileOf(items),
  };
  const combination = combinationOf(files);
  return {
    status: 'ready',
    message: { type: 'batch_ready', batch_id: batchId, files },
    combination,
    aggregated: manifest.aggregatedCombination === combination,
  };
};
