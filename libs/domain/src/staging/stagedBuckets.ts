import type { FileKind } from '../batch/fileKind';
import { Sha256 } from '../digest/Sha256';
import type { RevisionFile } from '../lifecycle/BatchState';
import { slotOf } from '../partitioning/referenceHash';
import type { RecordStore } from '../ports/RecordStore';
import { StagedRowsMissingError } from '../ports/StagingStore';
import type { StagedRowOfKind } from './stagedRowTypes';

/** The most buckets one upload's rows are spread over (a power of two). */
export const MAX_BUCKETS = 256;

/** About this many bytes of a file per bucket: a small file keeps one bucket. */
export const BUCKET_BYTES = 8 * 1024 * 1024;

/**
 * How many buckets an upload of `objectBytes` spreads its rows over: a power of two, one per
 * {@link BUCKET_BYTES} of file, at most {@link MAX_BUCKETS}. A partition of an aggregation then
 * reads only the buckets that hold its references (see {@link bucketsOfPartition}).
 *
 * @example
 * bucketCountOf(650 * 1024 * 1024); // 128
 */
export const bucketCountOf = (objectBytes: number): number => {
  const wanted = Math.max(1, Math.ceil(objectBytes / BUCKET_BYTES));
  let buckets = 1;
  while (buckets < wanted && buckets < MAX_BUCKETS) buckets *= 2;
  return buckets;
};

/**
 * The reference a row is bucketed and partitioned by: customers by their own reference, orders
 * and items by the order's, so the rows that must meet in a join land in the same partition.
 */
export const PARTITION_REFERENCE_OF: {
  readonly [K in FileKind]: (row: StagedRowOfKind[K]) => string;
} = {
  customers: (row) => row.customerReference,
  orders: (row) => row.orderReference,
  items: (row) => row.orderReference,
};

/**
 * The buckets of an upload spread over `buckets` that hold rows of `partition` of
 * `partitions` (both powers of two, as `slotOf` needs): with at least as many buckets as
 * partitions, every bucket whose low bits are the partition's; with fewer, the one bucket whose
 * rows include it (the reader keeps only the partition's rows).
 *
 * @example
 * bucketsOfPartition(1, 4, 16); // [1, 5, 9, 13]
 */
export const bucketsOfPartition = (
  partition: number,
  partitions: number,
  buckets: number,
): number[] => {
  if (buckets < partitions) return [slotOf(partition, buckets)];
  const list: number[] = [];
  for (let bucket = partition; bucket < buckets; bucket += partitions) list.push(bucket);
  return list;
};

/** What the buckets record of an upload holds: the chunk count of each bucket. */
export interface StagedBuckets {
  readonly bucketChunks: readonly number[];
}

/**
 * The name of the record that holds an upload's per-bucket chunk counts: a digest of its key
 * and version, so the name stays short whatever the key.
 */
export const bucketsRecordName = (key: string, version: string): string =>
  `buckets:${new Sha256()
    .update(new TextEncoder().encode(`${key}\0${version}`))
    .hex()
    .slice(0, 32)}`;

/**
 * The chunk count of each bucket of a staged file: `[chunks]` for a file of one bucket, else
 * read from its buckets record. Throws `StagedRowsMissingError` when that record has expired.
 *
 * @example
 * const counts = await bucketChunksOf(store, 'b1', revisionFile); // [12, 11, 12, 13]
 */
export const bucketChunksOf = async (
  store: RecordStore,
  batchId: string,
  file: Pick<RevisionFile, 'key' | 'version' | 'chunks' | 'buckets'>,
): Promise<readonly number[]> => {
  if ((file.buckets ?? 1) === 1) return [file.chunks];
  const record = await store.readRecord(batchId, bucketsRecordName(file.key, file.version));
  const counts = (record?.value as StagedBuckets | undefined)?.bucketChunks;
  if (counts === undefined || counts.length !== file.buckets)
    throw new StagedRowsMissingError(
      file.key,
      `the bucket record of ${file.key} (version ${file.version}) is missing`,
    );
  return counts;
};
