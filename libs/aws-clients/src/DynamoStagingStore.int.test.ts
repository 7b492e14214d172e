import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StagedRowsMissingError } from '@tally/domain';
import type { BatchState, StagedChunk } from '@tally/domain';
import { describeStagingStoreContract } from '@tally/domain/testing';
import { createHash } from 'node:crypto';
import { IncompleteBatchError } from './AdapterError';
import {
  CHUNK_SHARDS,
  DYNAMODB_MAX_CHUNK_BYTES,
  DynamoStagingStore,
  stagingKeys,
} from './DynamoStagingStore';
import { StagingTableError } from './StagingTableError';
import { createStagingTable, emulatorClients, uniqueName } from './testing/emulatorClients';
import { withMiddleware } from './testing/injectMiddleware';

const { dynamodb } = emulatorClients();
const noWait = async (): Promise<void> => undefined;

// One table for the whole file: the contract suite gives every test its own batch id.
const tableName = uniqueName('staging');
beforeAll(() => createStagingTable(dynamodb, tableName));

describeStagingStoreContract('DynamoStagingStore on dynalite', (clock) => ({
  store: new DynamoStagingStore({ client: dynamodb, tableName, now: clock.now }),
}));

/** 2026-12-01T12:00:00.000Z */
const NOW = Date.UTC(2026, 11, 1, 12);
const DAY_MS = 86_400_000;
// Unique per test (tests share the table), with characters keys must survive.
let batch: string;
let uploadKey: string;
const CHUNK_EXPIRY = NOW + 7 * DAY_MS + 1;

const chunksOf = (count: number, key = uploadKey, version = 'v1'): StagedChunk[] =>
  Array.from({ length: count }, (_, index) => ({
    batchId: batch,
    key,
    version,
    index,
    rowCount: 2,
    rows: `rows of chunk ${index} of ${key} ${version}`,
    expiresAt: CHUNK_EXPIRY,
  }));

const rowsOf = (chunks: readonly StagedChunk[]) => chunks.map((chunk) => chunk.rows);

const stateOf = (batchId: string, expiresAt = NOW + 90 * DAY_MS): BatchState => ({
  batchId,
  files: [],
  plan: { status: 'rejected', version: 'v1', sequencer: '0A', code: 'MANIFEST_INVALID' },
  updatedAt: NOW,
  expiresAt,
});

const itemAt = async (key: { pk: string; sk: string }) =>
  (await dynamodb.send(new GetCommand({ TableName: tableName, Key: key }))).Item;

const partition = async (pk: string) =>
  (
    await dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items;

describe('DynamoStagingStore on dynalite', () => {
  let nowMs: number;
  let store: DynamoStagingStore;
  const readAll = async (chunks: number, key = uploadKey, version = 'v1') => {
    const read: string[] = [];
    for await (const rows of store.readChunks(batch, { key, version, chunks })) read.push(rows);
    return read;
  };

  beforeEach(() => {
    batch = `${uniqueName('batch')} é/#1`;
    uploadKey = `incoming/${batch}/items-2.csv`;
    nowMs = NOW;
    store = new DynamoStagingStore({
      client: dynamodb,
      tableName,
      sleep: noWait,
      now: () => nowMs,
    });
  });

  it('takes chunks of up to 300,000 bytes', () => {
    expect([store.maxChunkBytes, DYNAMODB_MAX_CHUNK_BYTES]).toEqual([300_000, 300_000]);
  });

  it("keys chunks by batch, upload, bucket and shard, with the TTL attribute at the chunk's expiry in epoch seconds", async () => {
    const custom = new DynamoStagingStore({ client: dynamodb, tableName, ttlAttribute: 'ttl' });
    await custom.putChunks(chunksOf(CHUNK_SHARDS + 2));
    const uploadId = createHash('sha256').update(`${uploadKey}\0v1`).digest('hex').slice(0, 32);
    const pk = `CHUNKS#${batch}#${uploadId}#0#1`;
    expect(stagingKeys.chunkPartition(batch, uploadKey, 'v1', 0, 1)).toBe(pk);
    expect(await partition(pk)).toEqual(
      [1, CHUNK_SHARDS + 1].map((index) => ({
        pk,
        sk: String(index).padStart(8, '0'),
        row_count: 2,
        rows: `rows of chunk ${index} of ${uploadKey} v1`,
        ttl: Math.ceil(CHUNK_EXPIRY / 1000),
      })),
    );
  });

  it('keeps the parts of a kind apart: each upload has its own keys', async () => {
    const part = `incoming/${batch}/items-3.csv`;
    await store.putChunks([...chunksOf(3), ...chunksOf(2, part)]);
    expect(await readAll(3)).toEqual(rowsOf(chunksOf(3)));
    expect(await readAll(2, part)).toEqual(rowsOf(chunksOf(2, part)));
  });

  it("stores the batch state as a map beside its generation, batch id and TTL at the state's expiry", async () => {
    const batchId = uniqueName('layout');
    const state = stateOf(batchId, NOW + 90 * DAY_MS + 1);
    expect(await store.writeBatchState(state, undefined)).toBe(true);
    expect(await itemAt({ pk: `BATCH#${batchId}`, sk: 'STATE' })).toEqual({
      pk: `BATCH#${batchId}`,
      sk: 'STATE',
      batch_id: batchId,
      generation: 1,
      state,
      expires_at: Math.ceil((NOW + 90 * DAY_MS + 1) / 1000),
    });
    expect(stagingKeys.batchState(batchId)).toEqual({ pk: `BATCH#${batchId}`, sk: 'STATE' });
  });

  it('leaves out members that are undefined, so the state reads back as written', async () => {
    const batchId = uniqueName('undefined');
    const state = { ...stateOf(batchId), lease: undefined, revision: undefined };
    expect(await store.writeBatchState(state, undefined)).toBe(true);
    const stored = await itemAt(stagingKeys.batchState(batchId));
    expect(Object.keys(stored?.['state'] as object).sort()).toEqual([
      'batchId',
      'expiresAt',
      'files',
      'plan',
      'updatedAt',
    ]);
  });

  it('counts generations on from an expired state that DynamoDB has not deleted yet', async () => {
    const batchId = uniqueName('generation');
    await store.writeBatchState(stateOf(batchId, NOW + 1_000), undefined);
    await store.writeBatchState(stateOf(batchId, NOW + 2_000), 1);
    nowMs = NOW + 5_000;
    expect(await store.readBatchState(batchId)).toBeUndefined();
    const fresh = stateOf(batchId, nowMs + DAY_MS);
    expect(await store.writeBatchState(fresh, 2)).toBe(false);
    expect(await store.writeBatchState(fresh, undefined)).toBe(true);
    expect(await store.readBatchState(batchId)).toEqual({ state: fresh, generation: 3 });
  });

  it('names the chunk, upload and version of rows that are missing or expired', async () => {
    await store.putChunks(chunksOf(2));
    await expect(readAll(3)).rejects.toEqual(
      new StagedRowsMissingError(uploadKey, `chunk 2 of 3 of ${uploadKey} (version v1) is missing`),
    );
    nowMs = CHUNK_EXPIRY + 1_000;
    const reading = readAll(2);
    await expect(reading).rejects.toBeInstanceOf(StagedRowsMissingError);
    await expect(reading).rejects.toMatchObject({
      key: uploadKey,
      message: `chunk 0 of 2 of ${uploadKey} (version v1) expired at 2026-12-08T12:00:01.000Z`,
    });
  });

  it('retries UnprocessedItems until every chunk is written', async () => {
    const batchWrites: number[] = [];
    // Keeps only the first 5 puts of the first two calls and reports the rest as
    // UnprocessedItems, as a throttled DynamoDB does.
    await withMiddleware(
      dynamodb,
      async (input, send) => {
        const requests = (input['RequestItems'] as Record<string, unknown[]> | undefined)?.[
          tableName
        ];
        if (!requests) return send(input);
        batchWrites.push(requests.length);
        if (batchWrites.length > 2) return send(input);
        const output = await send({
          ...input,
          RequestItems: { [tableName]: requests.slice(0, 5) },
        });
        return { ...output, UnprocessedItems: { [tableName]: requests.slice(5) } };
      },
      () => store.putChunks(chunksOf(25)),
    );
    expect(batchWrites).toEqual([25, 20, 15]);
    expect(await readAll(25)).toEqual(rowsOf(chunksOf(25)));
  });

  it('writes in groups of 25, the most BatchWriteItem takes', async () => {
    const batchWrites: number[] = [];
    const sequential = new DynamoStagingStore({ client: dynamodb, tableName, concurrency: 1 });
    await withMiddleware(
      dynamodb,
      async (input, send) => {
        const requests = (input['RequestItems'] as Record<string, unknown[]> | undefined)?.[
          tableName
        ];
        if (requests) batchWrites.push(requests.length);
        return send(input);
      },
      () => sequential.putChunks(chunksOf(60)),
    );
    expect(batchWrites).toEqual([25, 25, 10]);
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
        expect(store.putChunks(chunksOf(3))).rejects.toEqual(
          new IncompleteBatchError(
            `BatchWriteItem on ${tableName} left 3 chunk(s) unprocessed after 8 attempts`,
            3,
          ),
        ),
    );
  });

  it('asks every request for the capacity it consumed, and gets it', async () => {
    const batchId = uniqueName('capacity');
    const requests: { asked: unknown; consumed?: unknown }[] = [];
    await withMiddleware(
      dynamodb,
      async (input, send) => {
        const request: { asked: unknown; consumed?: unknown } = {
          asked: input['ReturnConsumedCapacity'],
        };
        requests.push(request);
        const output = await send(input);
        request.consumed = output['ConsumedCapacity'];
        return output;
      },
      async () => {
        await store.putChunks(chunksOf(30));
        await readAll(30);
        await store.writeBatchState(stateOf(batchId), undefined);
        await store.writeBatchState(stateOf(batchId), 5);
        await store.readBatchState(batchId);
      },
    );
    // 2 BatchWriteItem, 16 Query (one per shard), 2 UpdateItem, 1 GetItem; the refused
    // UpdateItem ends in ConditionalCheckFailedException, which carries no capacity.
    expect(requests.map((request) => request.asked)).toEqual(
      Array.from({ length: 2 + CHUNK_SHARDS + 2 + 1 }, () => 'TOTAL'),
    );
    expect(requests.filter((request) => request.consumed !== undefined)).toHaveLength(
      requests.length - 1,
    );
  });

  describe('when DynamoDB fails (here: the table does not exist)', () => {
    const missingTable = () =>
      new DynamoStagingStore({ client: dynamodb, tableName: 'no-such-table', sleep: noWait });
    const failures: readonly [string, string, (store: DynamoStagingStore) => Promise<unknown>][] = [
      [
        'writeBatchState',
        'UpdateItem',
        (broken) => broken.writeBatchState(stateOf('b'), undefined),
      ],
      ['readBatchState', 'GetItem', (broken) => broken.readBatchState('b')],
      ['putChunks', 'BatchWriteItem', (broken) => broken.putChunks(chunksOf(1))],
      [
        'readChunks',
        'Query',
        async (broken) => {
          for await (const rows of broken.readChunks('b', {
            key: uploadKey,
            version: 'v1',
            chunks: 1,
          }))
            void rows;
        },
      ],
    ];

    it.each(failures)(
      '%s throws a StagingTableError naming %s, with the SDK error as its cause',
      async (_, operation, call) => {
        const error = await call(missingTable()).catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(StagingTableError);
        expect(error).toMatchObject({
          name: 'StagingTableError',
          operation,
          message: `DynamoDB ${operation} on no-such-table failed: ResourceNotFoundException: Requested resource not found`,
        });
        expect((error as StagingTableError).cause).toBeInstanceOf(ResourceNotFoundException);
      },
    );
  });
});
