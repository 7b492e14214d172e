import type { PlacedChunk } from './computePath';
import { dynamoItemSize, stagingCostsOf, writeUnitsOf } from './stagingCosts';

const context = { batchId: 'b1', version: 'SEQ-ETAG', expiresAt: 1_717_200_000 };

/** A chunk of bucket 0 whose `rows` is `bytes` ASCII bytes long. */
const chunkOf = (bytes: number, index = 0, bucket = 0): PlacedChunk => ({
  rows: 'x'.repeat(bytes),
  rowCount: 10,
  bucket,
  index,
});
const chunksOf = (count: number, bytes: number, bucket = 0): PlacedChunk[] =>
  Array.from({ length: count }, (_, index) => chunkOf(bytes, index, bucket));

describe('dynamoItemSize', () => {
  it.each([
    [{ pk: 'BATCH#b1' }, 2 + 8],
    [{ rows: 'é' }, 4 + 2],
    [{ n: 1200 }, 1 + 2],
    [{ n: 12345 }, 1 + 4],
    [{ n: 0.5 }, 1 + 2],
    [{ m: {} }, 1 + 3],
    [{ m: { a: 'xy', b: 7 } }, 1 + 3 + (1 + 2 + 1) + (1 + 2 + 1)],
  ])('sizes %j at %p bytes', (item, size) => {
    expect(dynamoItemSize(item)).toBe(size);
  });
});

describe('writeUnitsOf', () => {
  it.each([
    [1, 1],
    [1024, 1],
    [1025, 2],
    [300_000, 293],
  ])('bills %p bytes as %p write units', (bytes, units) => {
    expect(writeUnitsOf(bytes)).toBe(units);
  });
});

describe('stagingCostsOf', () => {
  const noErrors = { customers: 0, orders: 0, items: 0 };

  it('bills each chunk item by its size rounded up to 1 KB, keys and TTL included', () => {
    const costs = stagingCostsOf(
      context,
      { customers: [chunkOf(100)], orders: [], items: [chunkOf(1900)] },
      { ingestErrors: noErrors, aggregatorMessages: 0 },
    );

    expect(costs.chunks).toBe(2);
    expect(costs.chunkWriteUnits).toBe(1 + 2);
    // Three commits, the lease, no progress record (no message), the finish.
    expect(costs.stateWrites).toBe(5);
    expect(costs.writeUnits).toBe(costs.chunkWriteUnits + 5 * writeUnitsOf(costs.stateItemBytes));
    // pk CHUNKS#b1#<32 hex digits>#0#0, sk 00000000, rows, row_count 10 (2 B), expires_at
    // 1717200000 (significant digits 17172: 4 B).
    expect(costs.largestChunkItemBytes).toBe(2 + 46 + 2 + 8 + 4 + 1900 + 9 + 2 + 10 + 4);
  });

  it('makes one BatchWriteItem call per 25 chunks of a file', () => {
    const costs = stagingCostsOf(
      context,
      {
        customers: [chunkOf(10)],
        orders: chunksOf(25, 10),
        items: chunksOf(26, 10),
      },
      { ingestErrors: noErrors, aggregatorMessages: 0 },
    );

    expect(costs.batchWriteItemCalls).toBe(1 + 1 + 2);
  });

  it('reads each of the 16 shards of each bucket in pages of at most 1 MB, 4 KB units per page', () => {
    // 32 chunks of ~600 KB in each of two buckets: two per shard, which do not fit one 1 MB
    // page together; 64 chunks of ~300 KB in one bucket: four per shard, two pages each.
    const items = [...chunksOf(32, 600_000, 0), ...chunksOf(32, 600_000, 1)];
    const orders = chunksOf(64, 300_000);

    const costs = stagingCostsOf(
      context,
      { customers: [], orders, items },
      { ingestErrors: noErrors, aggregatorMessages: 0 },
    );

    expect(costs.queryCalls).toBe(2 * 32 + 16 * 2);
    const perChunk = Math.ceil(dynamoItemSize({ x: 'x'.repeat(600_000) }) / 4096);
    expect(costs.readUnits).toBeGreaterThanOrEqual(64 * perChunk);
  });

  it('sends messages 10 per SendMessageBatch call, per file and for the aggregator', () => {
    const costs = stagingCostsOf(
      context,
      { customers: [], orders: [], items: [] },
      { ingestErrors: { customers: 1, orders: 0, items: 11 }, aggregatorMessages: 50_001 },
    );

    expect(costs.outputMessages).toBe(1 + 11 + 50_001);
    expect(costs.sendMessageBatchCalls).toBe(1 + 2 + 5_001);
    // Three commits, the lease, a progress record per 1,000 messages (51), the finish.
    expect(costs.stateWrites).toBe(3 + 1 + 51 + 1);
    expect(costs.s3GetObjectCalls).toBe(3);
  });
});
