import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import csvParser from 'csv-parser';
import { DYNAMODB_MAX_CHUNK_BYTES } from '@tally/aws-clients';
import type { FileKind, RowValidators, StagedRowsChunk } from '@tally/domain';
import {
  BatchAggregation,
  decodeStagedRows,
  FILE_KINDS,
  outboundMessageOf,
  readCsvRecordBatches,
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

/** One run of the compute path over a batch. */
export interface ComputePathRun {
  /** Data rows read from the three files. */
  readonly rows: number;
  readonly ingestMs: number;
  readonly aggregateMs: number;
  readonly totalMs: number;
  readonly chunks: { readonly [K in FileKind]: readonly StagedRowsChunk[] };
  /** Error messages ingest sends, per file (row errors, capped, plus a summary or file error). */
  readonly ingestErrors: { readonly [K in FileKind]: number };
  readonly customerMessages: number;
  readonly aggregationErrors: number;
  /** UTF-8 bytes of every output message body, for the SQS figures. */
  readonly outputBodyBytes: number;
}

/** Ingest's compute for one file: stream → CSV record batches → validated rows → staged chunks. */
const stageFile = async <K extends FileKind>(
  kind: K,
  path: string,
  validators: RowValidators,
  settings: ComputeSettings,
) => {
  const chunks: StagedRowsChunk[] = [];
  const builder = new StagedChunkBuilder(kind, { maxChunkBytes: DYNAMODB_MAX_CHUNK_BYTES });
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
      const full = builder.add(row);
      if (full) chunks.push(full);
    }
    errors += next.value.errors.length;
  }
  const last = builder.flush();
  if (last) chunks.push(last);
  return { chunks, errors, rowsRead: next.value.rowsRead };
};

/**
 * Runs Tally's per-row work with no network: what the ingest Lambda does to each file (parse,
 * validate, pack into staged chunks) and what the aggregator does to the staged chunks
 * (decode, join, serialise each output message with its id). The chunks stay in memory where
 * DynamoDB would hold them.
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
 * The floor under the compute path: csv-parser, configured as `readCsvRecords` configures it,
 * reading the same files from the same kind of stream, with no work per row but a count.
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
