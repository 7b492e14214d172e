import type { BatchRevision } from '../../lifecycle/BatchState';
import { MAX_BUCKETS } from '../../staging/stagedBuckets';

/** The most partitions an aggregation is split into: one per bucket an upload may have. */
export const MAX_PARTITIONS = MAX_BUCKETS;

/**
 * How many partitions the aggregation of `revision` is split into: a power of two, one per
 * `rowsPerPartition` staged rows (customers, orders and items together), at most
 * {@link MAX_PARTITIONS}. A batch of fewer rows keeps one partition: the single-pass
 * aggregation, which costs no more than before partitions existed.
 *
 * @example
 * partitionCountOf(revision, 4_000_000); // 8 for 20 million rows
 */
export const partitionCountOf = (
  revision: Pick<BatchRevision, 'files'>,
  rowsPerPartition: number,
): number => {
  const rows = revision.files.reduce((sum, file) => sum + file.rowCount, 0);
  const wanted = Math.ceil(rows / Math.max(1, rowsPerPartition));
  let partitions = 1;
  while (partitions < wanted && partitions < MAX_PARTITIONS) partitions *= 2;
  return partitions;
};
