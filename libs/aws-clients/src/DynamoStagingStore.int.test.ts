import type { StagedChunk } from '@tally/domain';
import { DynamoStagingStore } from './DynamoStagingStore';
import { IncompleteBatchError } from './AdapterError';
import { createStagingTable, emulatorClients, uniqueName } from './testing/emulatorClients';
import { withMiddleware } from './testing/injectMiddleware';

const { dynamodb } = emulatorClients();
const noWait = async (): Promise<void> => undefined;

const chunksOf = (count: number, version = 'v1'): StagedChunk[] =>
  Array.from({ length: count }, (_, index) => ({
    batchId: 'batch é 1',
    kind: 'items' as const,
    version,
    index,
    rowCount: 2,
    rows: `rows of chunk ${index}`,
  }));

const file = (sequencer: string, key = 'incoming/batch é 1/items.csv') => ({
  file: 'items.csv',
  version: `${sequencer}-etag`,
  chunks: 3,
  key,
  sequencer,
  rowCount: 6,
});

describe('DynamoStagingStore on dynalite', () => {
  let tableName: string;
  let store: DynamoStagingStore;

  beforeEach(async () => {
    tableName = uniqueName('staging');
    await createStagingTable(dynamodb, tableName);
    store = new DynamoStagingStore({
      client: dynamodb,
      tableName,
      ttlDays: 7,
      sleep: noWait,
      now: () => 1_700_000_000_000,
    });
  });

  it('reads back 40 chunks spread over the shards in chunk order', async () => {
    await store.putChunks(chunksOf(40));
    const read: string[] = [];
    for await (const rows of store.readChunks('batch é 1', 'items', {
      file: 'items.csv',
      version: 'v1',
      chunks: 40,
    }))
      read.push(rows);
    expect(read).toEqual(chunksOf(40).map((chunk) => chunk.rows));
  });

  it('fails loudly when a chunk the manifest counts is missing', async () => {
    await store.putChunks(chunksOf(3));
    const read = async () => {
      for await (const rows of store.readChunks('batch é 1', 'items', {
        file: 'items.csv',
        version: 'v1',
        chunks: 4,
      }))
        void rows;
    };
    await expect(read()).rejects.toThrow(IncompleteBatchError);
  });

  it('retries UnprocessedItems until every chunk is written', async () => {
    let injected = 0;
    // Keeps only the first 5 puts of the first two calls and reports the rest as
    // UnprocessedItems, as a throttled DynamoDB does.
    await withMiddleware(
      dynamodb,
      async (input, send) => {
        const requests = (input['RequestItems'] as Record<string, unknown[]> | undefined)?.[
          tableName
        ];
        if (!requests || injected >= 2) return send(input);
        injected += 1;
        const output = await send({ RequestItems: { [tableName]: requests.slice(0, 5) } });
        return { ...output, UnprocessedItems: { [tableName]: requests.slice(5) } };
      },
      () => store.putChunks(chunksOf(25)),
    );
    expect(injected).toBe(2);
    const read: string[] = [];
    for await (const rows of store.readChunks('batch é 1', 'items', {
      file: 'items.csv',
      version: 'v1',
      chunks: 25,
    }))
      read.push(rows);
    expect(read).toEqual(chunksOf(25).map((chunk) => chunk.rows));
  });

  it('throws, never drops, when items stay unprocessed after every attempt', async () => {
    await withMiddleware(
      dynamodb,
      async (input, send) => {
        const requests = (input['RequestItems'] as Record<string, unknown[]> | undefined)?.[
          tableName
        ];
        return requests ? { UnprocessedItems: { [tableName]: requests } } : send(input);
      },
      () =>
        expect(store.putChunks(chunksOf(3))).rejects.toThrow(
          'left 3 chunk(s) unprocessed after 8 attempts',
        ),
    );
  });

  it('commits a file, ignores an older upload of the same key and accepts a newer one', async () => {
    const first = await store.commitFile('b', 'items', file('0055AED6DCD90281E5'));
    expect(first).toMatchObject({
      status: 'committed',
      manifest: { batchId: 'b', files: { items: file('0055AED6DCD90281E5') } },
    });
    const older = await store.commitFile('b', 'items', file('0055AED6DCD90281E4'));
    expect(older).toMatchObject({
      status: 'superseded',
      manifest: { files: { items: { sequencer: '0055AED6DCD90281E5' } } },
    });
    const again = await store.commitFile('b', 'items', file('0055AED6DCD90281E5'));
    expect(again.status).toBe('committed');
    // Sequencers of different lengths compare after right-padding with zeros.
    const newer = await store.commitFile('b', 'items', file('0055AED6DCD90281E500'));
    expect(newer.status).toBe('committed');
    const otherKey = await store.commitFile('b', 'items', file('01', 'incoming/b/items-2.csv'));
    expect(otherKey.status).toBe('committed');
  });

  it('lets exactly one of concurrent claimants win, and the winner claim again', async () => {
    const results = await Promise.all(
      ['a', 'b', 'c'].map((claimant) => store.claimReady('b', 'v1|v2|v3', claimant)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c'][results.indexOf(true)] as string;
    expect(await store.claimReady('b', 'v1|v2|v3', winner)).toBe(true);
    expect(await store.claimReady('b', 'v1|v2|v4', 'd')).toBe(true);
  });

  it('records the aggregated combination and writes the TTL attribute', async () => {
    await store.commitFile('b', 'items', file('0A'));
    await store.markAggregated('b', 'v1|v2|v3');
    expect(await store.readManifest('b')).toMatchObject({ aggregatedCombination: 'v1|v2|v3' });
    expect(await store.readManifest('missing')).toBeUndefined();
  });
});
