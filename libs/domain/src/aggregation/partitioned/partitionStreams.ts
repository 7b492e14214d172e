import type { FileKind } from '../../batch/fileKind';
import type { RevisionFile } from '../../lifecycle/BatchState';
import type { AggregationPhase } from '../../messages/outputMessageTypes';
import { referenceHash, slotOf } from '../../partitioning/referenceHash';
import type { StagedChunk, StagingStore } from '../../ports/StagingStore';
import { StagedRowsCorruptError, decodeStagedRows } from '../../staging/stagedRowCodec';
import {
  PARTITION_REFERENCE_OF,
  bucketChunksOf,
  bucketsOfPartition,
} from '../../staging/stagedBuckets';
import type { StagedRowOfKind } from '../../staging/stagedRowTypes';
import type { FileProblems, ReferentialProblem } from '../ReferentialErrors';
import type { OrderTotal } from './OrderTotals';

/** One partition of an aggregation, and how many there are. */
export interface Partition {
  readonly partition: number;
  readonly partitions: number;
}

/** Whether a reference belongs to the partition. */
export const inPartition =
  ({ partition, partitions }: Partition) =>
  (reference: string): boolean =>
    slotOf(referenceHash(reference), partitions) === partition;

/**
 * The staged chunks of `file` that hold rows of the partition, bucket after bucket, each in
 * chunk order; `filter` says whether a chunk also holds other partitions' rows (the file has
 * fewer buckets than the aggregation has partitions), which the reader must then skip.
 */
export async function* partitionChunks(
  store: StagingStore,
  batchId: string,
  file: RevisionFile,
  partition: Partition,
): AsyncIterable<{ readonly text: string; readonly filter: boolean }> {
  const counts = await bucketChunksOf(store, batchId, file);
  const filter = counts.length < partition.partitions;
  for (const bucket of bucketsOfPartition(
    partition.partition,
    partition.partitions,
    counts.length,
  )) {
    const ref = { key: file.key, version: file.version, bucket, chunks: counts[bucket] ?? 0 };
    for await (const text of store.readChunks(batchId, ref)) yield { text, filter };
  }
}

/** The partition's rows of a customers or orders file, in line order within each bucket. */
export async function* partitionRows<K extends Exclude<FileKind, 'items'>>(
  store: StagingStore,
  batchId: string,
  file: RevisionFile & { readonly kind: K },
  partition: Partition,
): AsyncIterable<readonly StagedRowOfKind[K][]> {
  const keep = inPartition(partition);
  const referenceOf = PARTITION_REFERENCE_OF[file.kind] as (row: StagedRowOfKind[K]) => string;
  for await (const { text, filter } of partitionChunks(store, batchId, file, partition)) {
    const rows = decodeStagedRows(file.kind, text);
    yield filter ? rows.filter((row) => keep(referenceOf(row))) : rows;
  }
}

/**
 * Where a task of a run keeps what it hands to later tasks, as chunks of a stream of its own
 * (never an object key: those start with the input prefix and end in `.csv`).
 */
export const streamOf = (
  revision: number,
  phase: AggregationPhase,
  partition: number,
  what: 'totals' | 'problems',
) => ({ key: `#run/${revision}/${phase}/${partition}/${what}`, version: `run-${revision}` });

/** Packs lines into chunk texts of at most `maxBytes` UTF-8 bytes (a longer line alone). */
export const packLines = (lines: Iterable<string>, maxBytes: number): string[] => {
  const texts: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
    if (current.length > 0 && bytes + lineBytes > maxBytes) {
      texts.push(current.join('\n'));
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += lineBytes;
  }
  if (current.length > 0) texts.push(current.join('\n'));
  return texts;
};

/** An order total as one line: file, line, total, then the customer reference as JSON. */
export const orderTotalLine = (total: OrderTotal): string =>
  `${total.file}\t${total.line}\t${total.total}\t${JSON.stringify(total.customerReference)}`;

/** Reads the order totals of a chunk written from {@link orderTotalLine}s. */
export function* orderTotalsOf(text: string): Iterable<OrderTotal> {
  if (text === '') return;
  for (const line of text.split('\n')) {
    const [file, row, total] = line.split('\t', 3);
    const rest = line.slice((file?.length ?? 0) + (row?.length ?? 0) + (total?.length ?? 0) + 3);
    const customerReference: unknown = JSON.parse(rest);
    if (
      file === undefined ||
      row === undefined ||
      total === undefined ||
      typeof customerReference !== 'string'
    )
      throw new StagedRowsCorruptError(`an order total does not decode: ${line.slice(0, 200)}`);
    yield { file: Number(file), line: Number(row), total: BigInt(total), customerReference };
  }
}

/** Problems as lines: per file, its name and total, then each problem kept. */
export function* problemLines(problems: readonly FileProblems[]): Iterable<string> {
  for (const { file, kept, total } of problems) {
    yield JSON.stringify({ file, total });
    for (const problem of kept) yield JSON.stringify(problem);
  }
}

/** Reads back the problems of chunks written from {@link problemLines}, in order. */
export const problemsOf = (texts: readonly string[]): FileProblems[] => {
  const files: { file: string; kept: ReferentialProblem[]; total: number }[] = [];
  for (const text of texts) {
    if (text === '') continue;
    for (const line of text.split('\n')) {
      const value = JSON.parse(line) as { file: string; total?: number } & ReferentialProblem;
      if (value.total !== undefined) files.push({ file: value.file, kept: [], total: value.total });
      else files.at(-1)?.kept.push(value);
    }
  }
  return files;
};

/** Writes `texts` as the chunks of a stream; returns how many. */
export const writeStream = async (
  store: StagingStore,
  batchId: string,
  stream: { readonly key: string; readonly version: string },
  bucket: number,
  texts: readonly string[],
  expiresAt: number,
): Promise<number> => {
  const chunks: StagedChunk[] = texts.map((rows, index) => ({
    batchId,
    ...stream,
    bucket,
    index,
    rowCount: rows === '' ? 0 : rows.split('\n').length,
    rows,
    expiresAt,
  }));
  if (chunks.length > 0) await store.putChunks(chunks);
  return chunks.length;
};

/** Reads every chunk of a stream's bucket. */
export const readStream = async (
  store: StagingStore,
  batchId: string,
  stream: { readonly key: string; readonly version: string },
  bucket: number,
  chunks: number,
): Promise<string[]> => {
  const texts: string[] = [];
  for await (const text of store.readChunks(batchId, { ...stream, bucket, chunks }))
    texts.push(text);
  return texts;
};
