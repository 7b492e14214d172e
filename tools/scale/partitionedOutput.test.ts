import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateBatch, ingestFile } from '@tally/domain';
import type { BatchReadyMessage, IngestSettings, ObjectLocation } from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingIngestContinuations,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import { generateBatch } from '../generate/generateBatch';

/**
 * The property issue 14 asks for: the pipeline's output does not depend on how a file is cut
 * into segments, nor on how many partitions aggregate it. The same generated batches (bad rows,
 * repeated references and orphans included) go through ingest and aggregation on in-memory ports
 * at P = 1 and P = 8 and at several segment sizes, with invocations that run short of time and
 * hand on to continuations; every run must send exactly the same messages, ids and bodies.
 */

const SIZES = { customers: 400, orders: 2_000, items: 8_000 };
const ROWS = SIZES.customers + SIZES.orders + SIZES.items;
const MAX_LINE_BYTES = 1_024;

/** `undefined`: the whole file in one segment (the default, 64 MiB). */
const SEGMENT_SIZES = [undefined, 2 * MAX_LINE_BYTES + 7, 16 * 1_024 + 3] as const;
/** Rows per partition giving P = 1 and P = 8. */
const PARTITIONINGS = [
  { partitions: 1, rowsPerPartition: 1_000_000_000 },
  { partitions: 8, rowsPerPartition: Math.ceil(ROWS / 8) },
] as const;

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tally-partitioned-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** An invocation's clock: plenty of time at its first two looks, then it runs short. */
const shortClock = () => {
  let looks = 0;
  return () => (looks++ < 2 ? 100_000 : 1);
};

const runPipeline = async (
  files: Readonly<Record<'customers' | 'orders' | 'items', string>>,
  segmentBytes: number | undefined,
  rowsPerPartition: number,
) => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore({ maxChunkBytes: 2_000 });
  const sink = new RecordingMessageSink();
  const requests = new RecordingAggregationRequests();
  const continuations = new RecordingIngestContinuations();
  const dependencies = {
    source,
    store,
    sink,
    aggregation: requests,
    continuations,
    validators: createRowValidators(),
    manifestValidator: createBatchManifestValidator(),
  };
  const settings: IngestSettings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 100_000_000,
    maxLineBytes: MAX_LINE_BYTES,
    maxRowErrors: 25,
    stagedRowsTtlMs: 86_400_000,
    ...(segmentBytes !== undefined && { segmentBytes }),
  };
  let invocations = 0;
  const ingest = (location: ObjectLocation, segment = 0) =>
    ingestFile(location, dependencies, settings, {
      segment,
      requestId: `ingest-${(invocations += 1)}`,
      // Cut files into segments also hand on to continuations, a few segments per invocation.
      ...(segmentBytes !== undefined && { remainingTimeMs: shortClock() }),
    });
  for (const kind of ['customers', 'orders', 'items'] as const) {
    await ingest(source.put(`incoming/b1/${kind}.csv`, files[kind], `0${kind.length}`));
    while (continuations.messages.length > 0) {
      const next = continuations.messages.shift();
      if (next === undefined) break;
      const location = {
        bucket: next.bucket,
        key: next.key,
        size: next.size,
        eTag: next.e_tag,
        sequencer: next.sequencer,
      };
      await ingest(location, next.segment);
    }
  }
  const queue: BatchReadyMessage[] = requests.requests.splice(0);
  let aggregations = 0;
  while (queue.length > 0) {
    const message = queue.shift() as BatchReadyMessage;
    aggregations += 1;
    await aggregateBatch(
      {
        batchId: message.batch_id,
        revision: message.revision,
        owner: message.lease_owner ?? `aggregate-${aggregations}`,
        attempt: `attempt-${aggregations}`,
        ...(message.task !== undefined && { task: message.task }),
      },
      { store, sink, requests },
      { maxRowErrors: 25, rowsPerPartition },
      { remainingTimeMs: () => 300_000 },
    );
    queue.push(...requests.requests.splice(0));
  }
  const sent = sink.messages.map((message) => `${message.id} ${message.body}`);
  return {
    sent: [...new Set(sent)].sort(),
    duplicates: sent.length - new Set(sent).size,
    invocations,
    aggregations,
  };
};

describe('the pipeline output at any segment size and partition count', () => {
  it.each([11, 12, 13])('is the same for generated batch %p', async (seed) => {
    const outDir = await mkdtemp(join(folder, `seed-${seed}-`));
    const expected = await generateBatch({ outDir, ...SIZES, seed, errorRate: 0.06 });
    const files = {
      customers: await readFile(expected.files.customers.path, 'utf8'),
      orders: await readFile(expected.files.orders.path, 'utf8'),
      items: await readFile(expected.files.items.path, 'utf8'),
    };
    const baseline = await runPipeline(files, undefined, PARTITIONINGS[0].rowsPerPartition);
    // The baseline is the batch's expected output: every customer, every kind of problem.
    const customers = baseline.sent.filter((line) => line.includes('"customer_message"'));
    expect(customers).toHaveLength(expected.customers.length);
    for (const code of ['DUPLICATE_REFERENCE', 'ORPHAN_ORDER', 'ORPHAN_ITEM', 'VALUE_REQUIRED'])
      expect(baseline.sent.some((line) => line.includes(`"code":"${code}"`))).toBe(true);

    for (const segmentBytes of SEGMENT_SIZES) {
      for (const { partitions, rowsPerPartition } of PARTITIONINGS) {
        const run = await runPipeline(files, segmentBytes, rowsPerPartition);
        expect({ segmentBytes, partitions, sent: run.sent }).toEqual({
          segmentBytes,
          partitions,
          sent: baseline.sent,
        });
        expect(run.duplicates).toBe(0);
        // Small segments really did cut the files across invocations; P = 8 really ran tasks.
        if (segmentBytes !== undefined) expect(run.invocations).toBeGreaterThan(20);
        if (partitions === 8) expect(run.aggregations).toBe(1 + 8 + 8 + 1);
      }
    }
  });
});
