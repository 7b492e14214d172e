import type { FileKind } from '@tally/domain';
import { FILE_KINDS } from '@tally/domain';
import { CHUNK_SHARDS, stagingKeys } from '@tally/aws-clients';
import type { PlacedChunk } from './computePath';

/** An attribute value as DynamoDB sizes it: a string, a number or a map. */
export type DynamoValue = string | number | { readonly [name: string]: DynamoValue };

/** DynamoDB bills a write per started 1 KB of item size. */
const WRITE_UNIT_BYTES = 1024;
/** A strongly consistent read costs one unit per started 4 KB; a Query sums its items first. */
const READ_UNIT_BYTES = 4096;
/** A Query page stops at 1 MB of items read. */
const QUERY_PAGE_BYTES = 1024 * 1024;
const PUTS_PER_BATCH_WRITE = 25;
const ENTRIES_PER_SEND_MESSAGE_BATCH = 10;
/** The aggregator records its progress after each group of this many messages. */
const MESSAGES_PER_PROGRESS_RECORD = 1_000;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** About 1 byte per 2 significant digits, plus 1 (leading and trailing zeros do not count). */
const numberSize = (value: number): number => {
  const digits = Math.abs(value).toString().replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
};

const valueSize = (value: DynamoValue): number => {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number') return numberSize(value);
  // A map costs 3 bytes, and each of its elements 1 byte besides its name and value.
  return Object.entries(value).reduce(
    (size, [name, nested]) => size + utf8Bytes(name) + valueSize(nested) + 1,
    3,
  );
};

/**
 * An item's size as DynamoDB computes it for billing: the UTF-8 length of every attribute name
 * plus the size of its value (strings: UTF-8 bytes; numbers: 1 byte per 2 significant digits
 * plus 1; maps: 3 bytes plus 1 per element plus the elements).
 *
 * @example
 * ```ts
 * dynamoItemSize({ pk: 'BATCH#b1', row_count: 1200 }); // 2 + 8 + 9 + 2 = 21
 * ```
 */
export const dynamoItemSize = (item: { readonly [name: string]: DynamoValue }): number =>
  Object.entries(item).reduce(
    (size, [name, value]) => size + utf8Bytes(name) + valueSize(value),
    0,
  );

/** Write units of one write of an item of `bytes` bytes. */
export const writeUnitsOf = (bytes: number): number => Math.ceil(bytes / WRITE_UNIT_BYTES);

/** Where the staged batch is written: what the keys of its items hold. */
export interface StagingContext {
  readonly batchId: string;
  /** `<sequencer>-<eTag>` of each file's upload. */
  readonly version: string;
  /** The TTL attribute's value, epoch seconds. */
  readonly expiresAt: number;
}

/** The chunk item ingest writes, as `DynamoStagingStore.putChunks` builds it. */
const chunkItem = (
  context: StagingContext,
  kind: FileKind,
  chunk: PlacedChunk,
): { readonly [name: string]: DynamoValue } => ({
  pk: chunkPartitionOf(context, kind, chunk),
  sk: stagingKeys.chunkSort(chunk.index),
  row_count: chunk.rowCount,
  rows: chunk.rows,
  expires_at: context.expiresAt,
});

const chunkPartitionOf = (context: StagingContext, kind: FileKind, chunk: PlacedChunk): string =>
  stagingKeys.chunkPartition(
    context.batchId,
    `incoming/${context.batchId}/${kind}.csv`,
    context.version,
    chunk.bucket,
    chunk.index % CHUNK_SHARDS,
  );

/**
 * The batch's state item once aggregated, every attribute at its final size: the largest the
 * item gets, so its writes are costed at their upper bound (a state write replaces the item).
 */
const stateItem = (
  context: StagingContext,
  chunks: { readonly [K in FileKind]: readonly PlacedChunk[] },
): { readonly [name: string]: DynamoValue } => {
  const expiresAtMs = context.expiresAt * 1000;
  const file = (kind: FileKind, order: number) => ({
    status: 'staged',
    key: `incoming/${context.batchId}/${kind}.csv`,
    kind,
    file: `${kind}.csv`,
    order,
    version: context.version,
    sequencer: context.version.split('-')[0] ?? '',
    chunks: chunks[kind].length,
    rowsRead: chunks[kind].reduce((sum, chunk) => sum + chunk.rowCount, 0),
    rowCount: chunks[kind].reduce((sum, chunk) => sum + chunk.rowCount, 0),
    sha256: '0'.repeat(64),
    expiresAt: expiresAtMs,
  });
  const files = Object.fromEntries(FILE_KINDS.map((kind, order) => [order, file(kind, order)]));
  return {
    ...stagingKeys.batchState(context.batchId),
    batch_id: context.batchId,
    generation: 9,
    expires_at: context.expiresAt,
    state: {
      batchId: context.batchId,
      files,
      revision: {
        number: 1,
        files,
        requestedBy: JSON.stringify([`incoming/${context.batchId}/items.csv`, context.version]),
        createdAt: expiresAtMs,
      },
      aggregated: { revision: 1, outcome: 'sent', customerMessages: 1, errorMessages: 1 },
      lease: {
        revision: 1,
        owner: '00000000-0000-0000-0000-000000000000',
        leaseUntil: expiresAtMs,
        sent: 0,
      },
      updatedAt: expiresAtMs,
      expiresAt: expiresAtMs,
    },
  };
};

/** DynamoDB, SQS and S3 usage of one batch, following the staging layout. */
export interface StagingCosts {
  readonly chunks: number;
  readonly largestChunkItemBytes: number;
  readonly batchWriteItemCalls: number;
  /** Chunk writes plus state writes. */
  readonly writeUnits: number;
  readonly chunkWriteUnits: number;
  readonly stateItemBytes: number;
  /**
   * Writes of the batch state: one commit per file (the last also allocates the revision); the
   * aggregator's lease claim, one progress record per group of 1,000 messages, and the finish.
   */
  readonly stateWrites: number;
  /** GetItem (consistent) of the state: before each of those writes, and once per file first. */
  readonly stateReads: number;
  readonly queryCalls: number;
  /** The aggregator's Queries (consistent) plus the state reads. */
  readonly readUnits: number;
  readonly outputMessages: number;
  readonly sendMessageBatchCalls: number;
  readonly s3GetObjectCalls: number;
}

/** What the staged batch sends: error messages per file from ingest, and the aggregator's. */
export interface OutputCounts {
  readonly ingestErrors: { readonly [K in FileKind]: number };
  readonly aggregatorMessages: number;
}

/**
 * The DynamoDB, SQS and S3 requests and capacity units of one batch whose staged chunks are
 * `chunks`, with each file's work done once (no retries, no redelivery):
 *
 * - ingest, per file: one GetObject, a state GetItem to admit the upload, ceil(chunks/25)
 *   BatchWriteItem calls (each chunk billed at its size rounded up to 1 KB), a state GetItem and
 *   write to commit it, and one SendMessageBatch per 10 error messages;
 * - the aggregator: a state GetItem and write to claim the lease, a Query per 1 MB page of each
 *   shard of each bucket (strongly consistent: 4 KB units over the page's summed item sizes, whatever the
 *   projection), one SendMessageBatch per 10 messages, a progress record (GetItem and write)
 *   per 1,000 messages, and the finish (GetItem and write).
 *
 * State writes are billed at the state's final size (a write costs the larger of the item
 * before and after).
 */
export const stagingCostsOf = (
  context: StagingContext,
  chunks: { readonly [K in FileKind]: readonly PlacedChunk[] },
  output: OutputCounts,
): StagingCosts => {
  let chunkCount = 0;
  let largestChunkItemBytes = 0;
  let batchWriteItemCalls = 0;
  let chunkWriteUnits = 0;
  let queryCalls = 0;
  let queryReadUnits = 0;
  for (const kind of FILE_KINDS) {
    // Each partition key's items, in index order: a Query reads them in pages of 1 MB.
    const partitions = new Map<string, number[]>();
    for (const chunk of chunks[kind]) {
      const size = dynamoItemSize(chunkItem(context, kind, chunk));
      largestChunkItemBytes = Math.max(largestChunkItemBytes, size);
      chunkWriteUnits += writeUnitsOf(size);
      const key = chunkPartitionOf(context, kind, chunk);
      partitions.set(key, [...(partitions.get(key) ?? []), size]);
    }
    chunkCount += chunks[kind].length;
    batchWriteItemCalls += Math.ceil(chunks[kind].length / PUTS_PER_BATCH_WRITE);
    for (const sizes of partitions.values()) {
      const pages: number[] = [0];
      for (const size of sizes) {
        if ((pages.at(-1) ?? 0) + size > QUERY_PAGE_BYTES) pages.push(0);
        pages[pages.length - 1] = (pages.at(-1) ?? 0) + size;
      }
      queryCalls += pages.length;
      queryReadUnits += pages.reduce((sum, page) => sum + Math.ceil(page / READ_UNIT_BYTES), 0);
    }
  }

  const stateItemBytes = dynamoItemSize(stateItem(context, chunks));
  const progressRecords = Math.ceil(output.aggregatorMessages / MESSAGES_PER_PROGRESS_RECORD);
  const stateWrites = FILE_KINDS.length + 1 + progressRecords + 1;
  const stateReads = FILE_KINDS.length + stateWrites;
  const outputMessages =
    FILE_KINDS.reduce((sum, kind) => sum + output.ingestErrors[kind], 0) +
    output.aggregatorMessages;
  const sendMessageBatchCalls =
    FILE_KINDS.reduce(
      (sum, kind) => sum + Math.ceil(output.ingestErrors[kind] / ENTRIES_PER_SEND_MESSAGE_BATCH),
      0,
    ) + Math.ceil(output.aggregatorMessages / ENTRIES_PER_SEND_MESSAGE_BATCH);

  return {
    chunks: chunkCount,
    largestChunkItemBytes,
    batchWriteItemCalls,
    writeUnits: chunkWriteUnits + stateWrites * writeUnitsOf(stateItemBytes),
    chunkWriteUnits,
    stateItemBytes,
    stateWrites,
    stateReads,
    queryCalls,
    readUnits: queryReadUnits + stateReads * Math.ceil(stateItemBytes / READ_UNIT_BYTES),
    outputMessages,
    sendMessageBatchCalls,
    s3GetObjectCalls: FILE_KINDS.length,
  };
};
