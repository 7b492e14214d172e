import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StagedRowsMissingError } from '@tally/domain';
import type {
  BatchState,
  StagedChunk,
  StagedUploadRef,
  StagingStore,
  RecordValue,
  StoredBatchState,
  StoredRecord,
} from '@tally/domain';
import { createHash } from 'node:crypto';
import { IncompleteBatchError } from './AdapterError';
import { inConcurrentGroups } from './inConcurrentGroups';
import { DEFAULT_BACKOFF, realSleep, retryWithBackoff } from './retryWithBackoff';
import type { BackoffPolicy, Sleep } from './retryWithBackoff';
import { StagingTableError } from './StagingTableError';

/**
 * The most bytes of encoded rows one chunk item holds. A DynamoDB item holds at most 400 KB,
 * attribute names and key values included: 300,000 leaves room for keys of the longest batch
 * ids, and the rows' UTF-8 encoding is what counts.
 */
export const DYNAMODB_MAX_CHUNK_BYTES = 300_000;

/** BatchWriteItem takes at most 25 puts. */
const ITEMS_PER_BATCH_WRITE = 25;

/**
 * Chunks of one upload are spread over this many partition keys (chunk i goes to shard i % N).
 * One partition key takes at most 1,000 write units a second; a 1,000,000-row items file is
 * about 40,000 write units, so 16 keys let it be written in seconds instead of ~40 s.
 */
export const CHUNK_SHARDS = 16;

/** Options of {@link DynamoStagingStore}. */
export interface DynamoStagingStoreOptions {
  /** A document client (plain JavaScript values). */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The table's TTL attribute (epoch seconds). Default `expires_at`. */
  readonly ttlAttribute?: string;
  /** BatchWriteItem calls in flight at once. Default 4. */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  /** The clock that decides what has expired (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The identity of a staged upload inside a partition key: the first 32 hex digits of the SHA-256
 * of its object key and version. Fixed length, so keys stay short and unambiguous whatever
 * characters (`#` included) the key and version hold; a batch has several uploads of a kind
 * (parts, re-uploads), each under its own keys.
 */
const uploadIdOf = (key: string, version: string): string =>
  createHash('sha256').update(`${key}\0${version}`, 'utf8').digest('hex').slice(0, 32);

/** Keys of the staging layout. Batch ids may hold any character, so they are never parsed back. */
export const stagingKeys = {
  batchState: (batchId: string) => ({ pk: `BATCH#${batchId}`, sk: 'STATE' }),
  chunkPartition: (batchId: string, key: string, version: string, bucket: number, shard: number) =>
    `CHUNKS#${batchId}#${uploadIdOf(key, version)}#${bucket}#${shard}`,
  record: (batchId: string, name: string) => ({ pk: `BATCH#${batchId}`, sk: `RECORD#${name}` }),
  chunkSort: (index: number) => String(index).padStart(8, '0'),
} as const;

/** Epoch ms as the epoch seconds of a TTL attribute, rounded up: never deleted early. */
const ttlSecondsOf = (epochMs: number): number => Math.ceil(epochMs / 1000);

/** A copy without `undefined` members, which DynamoDB cannot store (they read back as absent). */
const withoutUndefined = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => [name, withoutUndefined(member)]),
  );
};

/** The domain's error for a chunk of `upload` that cannot be read: the upload must come again. */
const rowsMissing = (
  upload: StagedUploadRef,
  index: number,
  what: string,
): StagedRowsMissingError =>
  new StagedRowsMissingError(
    upload.key,
    `chunk ${index} of ${upload.chunks} of ${upload.key} (version ${upload.version}) ${what}`,
  );

/**
 * {@link StagingStore} on one DynamoDB table. Storage primitives only: which state a batch may
 * move to is decided by the domain's lifecycle; this class stores it, conditionally on the
 * generation it was read at.
 *
 * Layout (documented in the README):
 * - batch state: `pk = BATCH#<batch>`, `sk = STATE`; the whole `BatchState` as a native map
 *   attribute `state` (readable in the console), a `generation` number that every write
 *   increments, `batch_id`, and the TTL attribute at the state's `expiresAt`;
 * - rows: packed into chunk items of up to {@link DYNAMODB_MAX_CHUNK_BYTES} (`rows` = encoded
 *   rows), keyed by `pk = CHUNKS#<batch>#<upload id>#<bucket>#<shard>` ({@link stagingKeys}),
 *   `sk = <chunk index, 8 digits>`, with the TTL attribute at the chunk's `expiresAt`. DynamoDB
 *   bills writes per started KB, so a 40-byte row written as its own item would cost 25x more;
 *   every upload has its own keys, so a new upload never overwrites rows being aggregated.
 *
 * DynamoDB deletes expired items lazily (often days later), so reads compare expiry with the
 * injected clock themselves and treat an expired item as absent. Every request asks for
 * `ReturnConsumedCapacity: TOTAL`, so the capacity it bills can be measured (the local stack
 * meters it). SDK errors other than a failed write condition become {@link StagingTableError}.
 *
 * @example
 * const store = new DynamoStagingStore({ client: createDynamoDbClient(), tableName: config.TALLY_TABLE_NAME });
 */
export class DynamoStagingStore implements StagingStore {
  public readonly maxChunkBytes = DYNAMODB_MAX_CHUNK_BYTES;
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlAttribute: string;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  public constructor(options: DynamoStagingStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.ttlAttribute = options.ttlAttribute ?? 'expires_at';
    this.concurrency = options.concurrency ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  public async putChunks(chunks: readonly StagedChunk[]): Promise<void> {
    const requests = chunks.map((chunk) => ({
      PutRequest: {
        Item: {
          pk: stagingKeys.chunkPartition(
            chunk.batchId,
            chunk.key,
            chunk.version,
            chunk.bucket ?? 0,
            chunk.index % CHUNK_SHARDS,
          ),
          sk: stagingKeys.chunkSort(chunk.index),
          row_count: chunk.rowCount,
          rows: chunk.rows,
          [this.ttlAttribute]: ttlSecondsOf(chunk.expiresAt),
        },
      },
    }));
    await inConcurrentGroups(requests, ITEMS_PER_BATCH_WRITE, this.concurrency, (group) =>
      this.writeGroup(group),
    );
  }

  /** Writes one BatchWriteItem group, retrying UnprocessedItems with backoff until none are left. */
  private async writeGroup(
    group: readonly { PutRequest: { Item: Record<string, unknown> } }[],
  ): Promise<void> {
    const unprocessed = await retryWithBackoff(group, this.backoff, this.sleep, async (pending) => {
      const response = await this.request('BatchWriteItem', () =>
        this.client.send(
          new BatchWriteCommand({
            RequestItems: { [this.tableName]: [...pending] },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      return { left: (response.UnprocessedItems?.[this.tableName] ?? []) as typeof group };
    });
    if (unprocessed.length > 0) {
      throw new IncompleteBatchError(
        `BatchWriteItem on ${this.tableName} left ${unprocessed.length} chunk(s) unprocessed after ${this.backoff.maxAttempts} attempts`,
        unprocessed.length,
      );
    }
  }

  /**
   * Chunk i lives in shard i % N, and each shard's Query returns its chunks in index order, so
   * taking one chunk from each shard in turn yields all chunks in index order while holding
   * only one page per shard in memory.
   */
  public async *readChunks(batchId: string, upload: StagedUploadRef): AsyncIterable<string> {
    const shards = Math.min(CHUNK_SHARDS, upload.chunks);
    const readers = Array.from({ length: shards }, (_, shard) =>
      this.queryShard(
        stagingKeys.chunkPartition(batchId, upload.key, upload.version, upload.bucket ?? 0, shard),
      )[Symbol.asyncIterator](),
    );
    for (let index = 0; index < upload.chunks; index += 1) {
      const next = await readers[index % CHUNK_SHARDS]?.next();
      const chunk = next?.done === false ? next.value : undefined;
      if (chunk?.sk !== stagingKeys.chunkSort(index))
        throw rowsMissing(upload, index, 'is missing');
      // DynamoDB deletes expired items lazily, so an expired chunk may still be returned.
      if (chunk.expiresAt * 1000 <= this.now()) {
        const expiry = new Date(chunk.expiresAt * 1000).toISOString();
        throw rowsMissing(upload, index, `expired at ${expiry}`);
      }
      yield chunk.rows;
    }
  }

  private async *queryShard(
    pk: string,
  ): AsyncIterable<{ sk: string; rows: string; expiresAt: number }> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.request('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'sk, #rows, #ttl',
            ExpressionAttributeNames: { '#rows': 'rows', '#ttl': this.ttlAttribute },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        yield {
          sk: String(item['sk']),
          rows: String(item['rows']),
          expiresAt: Number(item[this.ttlAttribute]),
        };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  public async readBatchState(batchId: string): Promise<StoredBatchState | undefined> {
    const response = await this.request('GetItem', () =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: stagingKeys.batchState(batchId),
          ProjectionExpression: '#state, #generation',
          ExpressionAttributeNames: { '#state': 'state', '#generation': 'generation' },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    const item = response.Item;
    if (item === undefined) return undefined;
    const state = item['state'] as BatchState;
    return state.expiresAt > this.now()
      ? { state, generation: Number(item['generation']) }
      : undefined;
  }

  /**
   * Writes the whole state if the stored one is still at generation `expected` (and live), or,
   * with `expected` undefined, if none is live: an expired item that DynamoDB has not deleted
   * yet counts as absent. Expiry is compared in epoch ms on the state's own `expiresAt`, as
   * {@link readBatchState} does, so a state that reads as absent can always be created.
   *
   * An UpdateItem that sets every attribute, not a PutItem, so the generation goes on counting
   * from an expired item instead of starting again at 1: a writer that read the old state just
   * before it expired can then never match the new one.
   */
  public async writeBatchState(state: BatchState, expected: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stagingKeys.batchState(state.batchId),
          UpdateExpression:
            'SET #state = :state, #batch = :batch, #ttl = :ttl, #generation = if_not_exists(#generation, :zero) + :one',
          ConditionExpression:
            expected === undefined
              ? 'attribute_not_exists(pk) OR #state.#expiresAt <= :now'
              : '#generation = :expected AND #state.#expiresAt > :now',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#batch': 'batch_id',
            '#ttl': this.ttlAttribute,
            '#generation': 'generation',
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: {
            ':state': withoutUndefined(state),
            ':batch': state.batchId,
            ':ttl': ttlSecondsOf(state.expiresAt),
            ':zero': 0,
            ':one': 1,
            ':now': this.now(),
            ...(expected !== undefined && { ':expected': expected }),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new StagingTableError('UpdateItem', this.tableName, { cause: error });
    }
  }

  public async readRecord(batchId: string, name: string): Promise<StoredRecord | undefined> {
    const response = await this.request('GetItem', () =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: stagingKeys.record(batchId, name),
          ProjectionExpression: '#value, #generation, #expiresAt',
          ExpressionAttributeNames: {
            '#value': 'value',
            '#generation': 'generation',
            '#expiresAt': 'expires_at_ms',
          },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    const item = response.Item;
    if (item === undefined || Number(item['expires_at_ms']) <= this.now()) return undefined;
    return { value: item['value'] as RecordValue, generation: Number(item['generation']) };
  }

  /**
   * Writes a record as {@link writeBatchState} writes the state: one UpdateItem, conditional on
   * the generation read (or on no live record), the generation counting on across expiry.
   */
  public async writeRecord(
    batchId: string,
    name: string,
    value: RecordValue,
    expected: number | undefined,
    expiresAt: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stagingKeys.record(batchId, name),
          UpdateExpression:
            'SET #value = :value, #expiresAt = :expiresAt, #ttl = :ttl, #generation = if_not_exists(#generation, :zero) + :one',
          ConditionExpression:
            expected === undefined
              ? 'attribute_not_exists(pk) OR #expiresAt <= :now'
              : '#generation = :expected AND #expiresAt > :now',
          ExpressionAttributeNames: {
            '#value': 'value',
            '#expiresAt': 'expires_at_ms',
            '#ttl': this.ttlAttribute,
            '#generation': 'generation',
          },
          ExpressionAttributeValues: {
            ':value': withoutUndefined(value),
            ':expiresAt': expiresAt,
            ':ttl': ttlSecondsOf(expiresAt),
            ':zero': 0,
            ':one': 1,
            ':now': this.now(),
            ...(expected !== undefined && { ':expected': expected }),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new StagingTableError('UpdateItem', this.tableName, { cause: error });
    }
  }

  /** Runs one request, turning an SDK failure into a {@link StagingTableError}. */
  private async request<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StagingTableError(operation, this.tableName, { cause: error });
    }
  }
}
