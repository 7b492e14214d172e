import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import csvParser from 'csv-parser';
import { DYNAMODB_MAX_CHUNK_BYTES } from '@tally/aws-clients';
import type { FileKind, RowValidators, StagedRowOfKind, StagedRowsChunk } from '@tally/domain';
import {
  BatchAggregation,
  bucketCountOf,
  decodeStagedRows,
  FILE_KINDS,
  outboundMessageOf,
  PARTITION_REFERENCE_OF,
  readCsvRecordBatches,
  referenceHash,
  slotOf,
  StagedChunkBuilder,
  validateRecordBatches,
} from '@tally/domain';

/** The three files of a batch, by kind. */
export type BatchFiles = { readonly [K in FileKind]: string };

/** What Lambda gets from pipeline.json: the limits the compute path runs with. */
export interface ComputeSettings {
  readonly batchId: string;
  readonly maxLineBytes: number;
  readonly maxRowErrors: number;
}

/** A staged chunk and where ingest stores it: its bucket, and its index within the bucket. */
export interface PlacedChunk extends StagedRowsChunk {
  readonly bucket: number;
  readonly index: number;
}

/** One run of the compute path over a batch. */
export interface ComputePathRun {
  /** Data rows read from the three files. */
  readonly rows: number;
  readonly ingestMs: number;
  readonly aggregateMs: number;
  readonly totalMs: number;
  /** Each file's chunks, bucket after bucket, as the aggregator reads them. */
  readonly chunks: { readonly [K in FileKind]: readonly PlacedChunk[] };
  /** Error messages ingest sends, per file (row errors, capped, plus a summary or file error). */
  readonly ingestErrors: { readonly [K in FileKind]: number };
  readonly customerMessages: number;
  readonly aggregationErrors: number;
  /** UTF-8 bytes of every output message body, for the SQS figures. */
  readonly outputBodyBytes: number;
}

/**
 * Ingest's compute for one file: stream → CSV record batches → validated rows → each row into
 * the bucket of its reference (as many buckets as ingest gives a file of this size) → staged
 * chunks.
 */
const stageFile = async <K extends FileKind>(
  kind: K,
  path: string,
  validators: RowValidators,
  settings: ComputeSettings,
) => {
  const buckets = bucketCountOf((await stat(path)).size);
  const builders = Array.from(
    { length: buckets },
    () => new StagedChunkBuilder(kind, { maxChunkBytes: DYNAMODB_MAX_CHUNK_BYTES }),
  );
  const referenceOf: (row: StagedRowOfKind[K]) => string = PARTITION_REFERENCE_OF[kind];
  const chunksInBucket = builders.map(() => 0);
  const chunks: PlacedChunk[] = [];
  const place = (bucket: number, chunk: StagedRowsChunk) => {
    chunks.push({ ...chunk, bucket, index: chunksInBucket[bucket] ?? 0 });
    chunksInBucket[bucket] = (chunksInBucket[bucket] ?? 0) + 1;
  };
  const batches = validateRecordBatches({
    kind,
    file: `${kind}.csv`,
    records: readCsvRecordBatches(createReadStream(path), { maxLineBytes: settings.maxLineBytes }),
    validators,
    maxRowErrors: settings.maxRowErrors,
  });
  let errors = 0;
  let next = await batches.next();
  for (; !next.done; next = await batches.next()) {
    for (const row of next.value.rows) {
      const bucket = buckets === 1 ? 0 : slotOf(referenceHash(referenceOf(row)), buckets);
      const full = builders[bucket]?.add(row);
      if (full) place(bucket, full);
    }
    errors += next.value.errors.length;
  }
  builders.forEach((builder, bucket) => {
    const last = builder.flush();
    if (last) place(bucket, last);
  });
  chunks.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return { chunks, errors, rowsRead: next.value.rowsRead };
};

/**
 * Runs Tally's per-row work with no network: what the ingest Lambda does to each file (parse,
 * validate, bucket, pack into staged chunks) and what the aggregator does at P = 1 to the staged
 * chunks, read bucket after bucket (decode, join, serialise each output message with its id).
 * The chunks stay in memory where DynamoDB would hold them.
 *
 * @example
 * ```ts
 * const run = await runComputePath(files, createRowValidators(), settings);
 * console.log(run.rows / (run.totalMs / 1000), 'rows/s');
 * ```
 */
export const runComputePath = async (
  files: BatchFiles,
  validators: RowValidators,
  settings: ComputeSettings,
): Promise<ComputePathRun> => {
  const started = performance.now();
  const customers = await stageFile('customers', files.customers, validators, settings);
  const orders = await stageFile('orders', files.orders, validators, settings);
  const items = await stageFile('items', files.items, validators, settings);
  const staged = performance.now();

  const aggregation = new BatchAggregation({
    batchId: settings.batchId,
    maxErrorsPerFile: settings.maxRowErrors,
  });
  for (const chunk of customers.chunks) {
    aggregation.addCustomers(decodeStagedRows('customers', chunk.rows), 'customers.csv');
  }
  for (const chunk of orders.chunks) {
    aggregation.addOrders(decodeStagedRows('orders', chunk.rows), 'orders.csv');
  }
  for (const chunk of items.chunks) {
    aggregation.addStagedItems(chunk.rows, 'items.csv');
  }
  const result = aggregation.finish();
  let outputBodyBytes = 0;
  for (const message of [...result.customers, ...result.errors]) {
    outputBodyBytes += Buffer.byteLength(
      outboundMessageOf({ batchId: settings.batchId, revision: 1 }, message).body,
    );
  }
  const finished = performance.now();

  return {
    rows: customers.rowsRead + orders.rowsRead + items.rowsRead,
    ingestMs: staged - started,
    aggregateMs: finished - staged,
    totalMs: finished - started,
    chunks: { customers: customers.chunks, orders: orders.chunks, items: items.chunks },
    ingestErrors: { customers: customers.errors, orders: orders.errors, items: items.errors },
    customerMessages: result.customers.length,
    aggregationErrors: result.errors.length,
    outputBodyBytes,
  };
};

/** One run of the parsing floor. */
export interface CsvParserRun {
  /** Data rows (header rows not counted), comparable to {@link ComputePathRun.rows}. */
  readonly rows: number;
  readonly totalMs: number;
}

/**
 * The floor under the compute path: csv-parser with `headers: false` (whose reading
 * `readCsvRecords` reproduces), on the same files from the same kind of stream, with no work per
 * row but a count.
 */
export const runCsvParserFloor = async (
  files: BatchFiles,
  maxLineBytes: number,
): Promise<CsvParserRun> => {
  const started = performance.now();
  let records = 0;
  for (const kind of FILE_KINDS) {
    const parser = csvParser({ headers: false, maxRowBytes: maxLineBytes });
    parser.on('data', () => records++);
    const ended = once(parser, 'end');
    await pipeline(createReadStream(files[kind]), parser);
    await ended;
  }
  return { rows: records - FILE_KINDS.length, totalMs: performance.now() - started };
};
