import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { FILE_KINDS } from '@tally/domain';
import type {
  BatchManifest,
  CommitOutcome,
  FileKind,
  ManifestFile,
  StagedChunk,
  StagedFile,
  StagingStore,
} from '@tally/domain';
import { IncompleteBatchError } from './AdapterError';
import { inConcurrentGroups } from './inConcurrentGroups';
import { DEFAULT_BACKOFF, realSleep, retryWithBackoff } from './retryWithBackoff';
import type { BackoffPolicy, Sleep } from './retryWithBackoff';

/** BatchWriteItem takes at most 25 puts. */
const ITEMS_PER_BATCH_WRITE = 25;

/**
 * Chunks of one file are spread over this many partition keys (chunk i goes to shard i % N).
 * One partition key takes at most 1,000 write units a second; a 1,000,000-row items file is
 * about 40,000 write units, so 16 keys let it be written in seconds instead of ~40 s.
 */
export const CHUNK_SHARDS = 16;

/** Sequencers are stored right-padded to this width so DynamoDB's string `<=` orders them. */
const SEQUENCER_WIDTH = 64;

export interface DynamoStagingStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Staged items expire this many days after they are written (the table's TTL attribute). */
  readonly ttlDays: number;
  readonly ttlAttribute?: string;
  /** BatchWriteItem calls in flight at once. */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/** Keys of the staging layout. Batch ids may hold any character, so they are never parsed back. */
export const stagingKeys = {
  manifest: (batchId: string) => ({ pk: `BATCH#${batchId}`, sk: 'MANIFEST' }),
  chunkPartition: (batchId: string, kind: FileKind, version: string, shard: number) =>
    `CHUNKS#${batchId}#${kind}#${version}#${shard}`,
  chunkSort: (index: number) => String(index).padStart(8, '0'),
} as const;

const fileAttribute = (kind: FileKind) => `file_${kind}`;

const normaliseSequencer = (sequencer: string): string =>
  sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, '0');

/**
 * {@link StagingStore} on one DynamoDB table.
 *
 * Layout (documented in the README):
 * - manifest: `pk = BATCH#<batch>`, `sk = MANIFEST`, one attribute `file_<kind>` per kind
 *   holding the current upload, plus `ready_combination`/`ready_claimant` and
 *   `aggregated_combination`;
 * - rows: packed into chunk items of up to ~300 KB (`rows` = encoded rows), keyed by
 *   `pk = CHUNKS#<batch>#<kind>#<version>#<shard>`, `sk = <chunk index>`. DynamoDB bills
 *   writes per started KB, so a 40-byte row written as its own item would cost 25x more; a new
 *   upload gets a new version and so never overwrites the rows aggregation may be reading.
 * Every item carries the TTL attribute, so staged data expires on its own. Reads and writes
 * ask for `ReturnConsumedCapacity: TOTAL`, so the capacity they bill can be measured.
 */
export class DynamoStagingStore implements StagingStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly ttlAttribute: string;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  public constructor(options: DynamoStagingStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.ttlSeconds = Math.round(options.ttlDays * 86_400);
    this.ttlAttribute = options.ttlAttribute ?? 'expires_at';
    this.concurrency = options.concurrency ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  public async putChunks(chunks: readonly StagedChunk[]): Promise<void> {
    const expiresAt = this.expiresAt();
    const requests = chunks.map((chunk) => ({
      PutRequest: {
        Item: {
          pk: stagingKeys.chunkPartition(
            chunk.batchId,
            chunk.kind,
            chunk.version,
            chunk.index % CHUNK_SHARDS,
          ),
          sk: stagingKeys.chunkSort(chunk.index),
          row_count: chunk.rowCount,
          rows: chunk.rows,
          [this.ttlAttribute]: expiresAt,
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
      const response = await this.client.send(
        new BatchWriteCommand({
          RequestItems: { [this.tableName]: [...pending] },
          ReturnConsumedCapacity: 'TOTAL',
        }),
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

  public async commitFile(
    batchId: string,
    kind: FileKind,
    file: ManifestFile,
  ): Promise<CommitOutcome> {
    const attribute = fileAttribute(kind);
    try {
      const response = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stagingKeys.manifest(batchId),
          UpdateExpression: 'SET #file = :file, #batch = :batch, #ttl = :ttl',
          // A redelivered event (same key, same sequencer) may commit again: it writes the same value.
          ConditionExpression:
            'attribute_not_exists(#file) OR #file.#key <> :key OR #file.#order <= :order',
          ExpressionAttributeNames: {
            '#file': attribute,
            '#batch': 'batch_id',
            '#ttl': this.ttlAttribute,
            '#key': 'key',
            '#order': 'order',
          },
          ExpressionAttributeValues: {
            ':file': { ...file, order: normaliseSequencer(file.sequencer) },
            ':batch': batchId,
            ':ttl': this.expiresAt(),
            ':key': file.key,
            ':order': normaliseSequencer(file.sequencer),
          },
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return { status: 'committed', manifest: manifestOf(batchId, response.Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const manifest = await this.readManifest(batchId);
        return { status: 'superseded', manifest: manifest ?? { batchId, files: {} } };
      }
      throw error;
    }
  }

  public async claimReady(
    batchId: string,
    combination: string,
    claimant: string,
  ): Promise<boolean> {
    return this.updateManifestIf(batchId, {
      UpdateExpression: 'SET #ready = :combination, #claimant = :claimant',
      ConditionExpression:
        'attribute_not_exists(#ready) OR #ready <> :combination OR #claimant = :claimant',
      ExpressionAttributeNames: { '#ready': 'ready_combination', '#claimant': 'ready_claimant' },
      ExpressionAttributeValues: { ':combination': combination, ':claimant': claimant },
    });
  }

  public async readManifest(batchId: string): Promise<BatchManifest | undefined> {
    const response = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        ReturnConsumedCapacity: 'TOTAL',
        Key: stagingKeys.manifest(batchId),
        ConsistentRead: true,
      }),
    );
    return response.Item ? manifestOf(batchId, response.Item) : undefined;
  }

  /**
   * Chunk i lives in shard i % N, and each shard's Query returns its chunks in index order, so
   * taking one chunk from each shard in turn yields all chunks in index order while holding
   * only one page per shard in memory.
   */
  public async *readChunks(
    batchId: string,
    kind: FileKind,
    file: StagedFile,
  ): AsyncIterable<string> {
    const shards = Math.min(CHUNK_SHARDS, file.chunks);
    const readers = Array.from({ length: shards }, (_, shard) =>
      this.queryShard(stagingKeys.chunkPartition(batchId, kind, file.version, shard))[
        Symbol.asyncIterator
      ](),
    );
    for (let index = 0; index < file.chunks; index += 1) {
      const reader = readers[index % CHUNK_SHARDS];
      const next = reader ? await reader.next() : { done: true as const, value: undefined };
      if (next.done || next.value.sk !== stagingKeys.chunkSort(index)) {
        throw new IncompleteBatchError(
          `staged ${kind} of batch ${batchId} (version ${file.version}) lacks chunk ${index} of ${file.chunks}`,
          file.chunks - index,
        );
      }
      yield next.value.rows;
    }
  }

  private async *queryShard(pk: string): AsyncIterable<{ sk: string; rows: string }> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'sk, #rows',
          ExpressionAttributeNames: { '#rows': 'rows' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      for (const item of page.Items ?? []) yield item as { sk: string; rows: string };
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  public async leaseAggregation(
    batchId: string,
    combination: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<boolean> {
    return this.updateManifestIf(batchId, {
      UpdateExpression: 'SET #combination = :combination, #owner = :owner, #until = :until',
      ConditionExpression:
        'attribute_not_exists(#owner) OR #combination <> :combination OR #owner = :owner OR #until < :now',
      ExpressionAttributeNames: {
        '#combination': 'lease_combination',
        '#owner': 'lease_owner',
        '#until': 'lease_until',
      },
      ExpressionAttributeValues: {
        ':combination': combination,
        ':owner': owner,
        ':until': leaseUntil,
        ':now': now,
      },
    });
  }

  /**
   * A conditional update of the batch manifest: true when it applied, false when its condition
   * did not hold (DynamoDB's ConditionalCheckFailedException is the expected answer, not a
   * failure).
   */
  private async updateManifestIf(
    batchId: string,
    update: Pick<
      UpdateCommandInput,
      | 'UpdateExpression'
      | 'ConditionExpression'
      | 'ExpressionAttributeNames'
      | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          ReturnConsumedCapacity: 'TOTAL',
          Key: stagingKeys.manifest(batchId),
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  public async markAggregated(batchId: string, combination: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        ReturnConsumedCapacity: 'TOTAL',
        Key: stagingKeys.manifest(batchId),
        UpdateExpression: 'SET #aggregated = :combination',
        ExpressionAttributeNames: { '#aggregated': 'aggregated_combination' },
        ExpressionAttributeValues: { ':combination': combination },
      }),
    );
  }

  private expiresAt(): number {
    return Math.floor(this.now() / 1000) + this.ttlSeconds;
  }
}

/** Maps a stored manifest item to the domain's {@link BatchManifest}. */
const manifestOf = (batchId: string, item: Record<string, unknown> | undefined): BatchManifest => {
  const files: { [K in FileKind]?: ManifestFile } = {};
  for (const kind of FILE_KINDS) {
    const stored = item?.[fileAttribute(kind)] as (ManifestFile & { order?: string }) | undefined;
    if (stored) {
      files[kind] = {
        file: stored.file,
        version: stored.version,
        chunks: Number(stored.chunks),
        key: stored.key,
        sequencer: stored.sequencer,
        rowCount: Number(stored.rowCount),
      };
    }
  }
  const aggregated = item?.['aggregated_combination'];
  return typeof aggregated === 'string'
    ? { batchId, files, aggregatedCombination: aggregated }
    : { batchId, files };
};
