import { InMemoryStagingStore } from '../testing/InMemoryStagingStore';
import { StagedRowsMissingError } from '../ports/StagingStore';
import { referenceHash, slotOf } from '../partitioning/referenceHash';
import {
  BUCKET_BYTES,
  bucketChunksOf,
  bucketCountOf,
  bucketsOfPartition,
  bucketsRecordName,
} from './stagedBuckets';

describe('bucketCountOf', () => {
  it.each([
    [0, 1],
    [BUCKET_BYTES, 1],
    [BUCKET_BYTES + 1, 2],
    [5 * BUCKET_BYTES, 8],
    [650 * 1024 * 1024, 128],
    [50 * 1024 ** 3, 256],
  ])('spreads %p bytes over %p buckets', (bytes, buckets) => {
    expect(bucketCountOf(bytes)).toBe(buckets);
  });
});

describe('bucketsOfPartition', () => {
  it.each([
    [1, 4, 16, [1, 5, 9, 13]],
    [0, 1, 4, [0, 1, 2, 3]],
    [5, 8, 2, [1]],
    [3, 4, 4, [3]],
  ])('partition %p of %p reads, of %p buckets, %j', (partition, partitions, buckets, expected) => {
    expect(bucketsOfPartition(partition, partitions, buckets)).toEqual(expected);
  });

  it('puts every reference in exactly the buckets its partition reads', () => {
    for (const [partitions, buckets] of [
      [8, 32],
      [8, 2],
      [1, 16],
    ] as const) {
      for (let n = 0; n < 2_000; n += 1) {
        const hash = referenceHash(`O${n}`);
        const partition = slotOf(hash, partitions);
        expect(bucketsOfPartition(partition, partitions, buckets)).toContain(slotOf(hash, buckets));
      }
    }
  });
});

describe('bucketChunksOf', () => {
  const file = { key: 'incoming/b1/items.csv', version: 'v1', chunks: 7 };

  it('reads a one-bucket file from its chunk count, without a record', async () => {
    expect(await bucketChunksOf(new InMemoryStagingStore(), 'b1', file)).toEqual([7]);
  });

  it('reads the counts of a file of several buckets from its record, and fails without it', async () => {
    const store = new InMemoryStagingStore();
    const spread = { ...file, buckets: 2 };
    await expect(bucketChunksOf(store, 'b1', spread)).rejects.toBeInstanceOf(
      StagedRowsMissingError,
    );
    const name = bucketsRecordName(file.key, file.version);
    await store.writeRecord('b1', name, { bucketChunks: [3, 4] }, undefined, Date.now() + 60_000);
    expect(await bucketChunksOf(store, 'b1', spread)).toEqual([3, 4]);
    expect(name).toMatch(/^buckets:[0-9a-f]{32}$/);
    expect(bucketsRecordName(file.key, 'v2')).not.toBe(name);
  });
});
