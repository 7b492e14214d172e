import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUCKET_BYTES, aggregateBatch, ingestFile, readRunProgress } from '@tally/domain';
import type {
  BatchReadyMessage,
  ErrorCode,
  FileKind,
  IngestSettings,
  ObjectLocation,
  OutboundMessage,
} from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingIngestContinuations,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import {
  customerMessageBody,
  expectedErrorMessageCount,
  expectedReferentialProblems,
} from '../generate/expectedOutput';
import { generateBatch } from '../generate/generateBatch';
import type { ExpectedBatch } from '../generate/generateBatch';
import { createSeededRandom } from '../generate/seededRandom';
import { checkConsumedBatch } from '../reliability/checkConsumedBatch';
import { ResultConsumer } from '../reliability/ResultConsumer';
import { AtLeastOnceQueue } from './AtLeastOnceQueue';

/**
 * The property issue 14 asks for: the pipeline's output does not depend on how a file is cut
 * into segments, into how many buckets its rows are spread, nor on how many partitions aggregate
 * it. The same generated batches (bad rows, repeated references and orphans, past the per-file
 * caps) go through ingest and aggregation on in-memory ports. The baseline (whole files, P = 1,
 * every message delivered once and in order) must give the generator's expected result; then
 * every other run (P = 1 and P = 8, several segment sizes and bucket counts, invocations that run
 * short of time and hand on to continuations, messages delivered in any order and some twice)
 * must send exactly the baseline's messages, ids and bodies, once de-duplicated by message id.
 */

const SIZES = { customers: 400, orders: 2_000, items: 8_000 };
const ROWS = SIZES.customers + SIZES.orders + SIZES.items;
const MAX_LINE_BYTES = 1_024;
/** Low enough that the items file passes it with row errors, and with orphan items. */
const MAX_ROW_ERRORS = 25;
const BATCH_ID = 'b1';
/** Share of queue messages delivered twice in a run with at-least-once delivery. */
const DUPLICATE_SHARE = 0.2;

/** Rows per partition giving P = 1 and P = 8. */
const ROWS_PER_PARTITION = { 1: 1_000_000_000, 8: Math.ceil(ROWS / 8) } as const;

/** How one run cuts, spreads and aggregates the batch. */
interface RunShape {
  /** `undefined`: the whole file in one segment (the default, 64 MiB). */
  readonly segmentBytes?: number;
  readonly partitions: keyof typeof ROWS_PER_PARTITION;
  /**
   * Buckets per file, when more than the 1 that a small file gets. The bucket size is a
   * constant of the domain (`BUCKET_BYTES`), not a setting, so the upload's event claims a
   * size that gives that many buckets; the object read is the real, small one.
   */
  readonly buckets?: number;
}

const SMALL_SEGMENT = 2 * MAX_LINE_BYTES + 7;
const LARGER_SEGMENT = 16 * 1_024 + 3;
const RUNS: readonly RunShape[] = [
  { partitions: 1 },
  { partitions: 8 },
  { segmentBytes: SMALL_SEGMENT, partitions: 1 },
  { segmentBytes: SMALL_SEGMENT, partitions: 8 },
  { segmentBytes: LARGER_SEGMENT, partitions: 1 },
  { segmentBytes: LARGER_SEGMENT, partitions: 8 },
  // Fewer buckets than partitions: each partition reads one bucket and keeps its own rows.
  { partitions: 8, buckets: 4 },
  // More: each partition reads only its buckets.
  { segmentBytes: LARGER_SEGMENT, partitions: 8, buckets: 16 },
  { segmentBytes: SMALL_SEGMENT, partitions: 1, buckets: 16 },
];

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tally-partitioned-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/**
 * An invocation's clock with time for `segments` segments: ingest looks once to size its
 * reserve, then before and after each segment; the look after the last one finds the time short.
 */
const clockForSegments = (segments: number) => {
  let looks = 0;
  return () => (looks++ < 2 * segments ? 100_000 : 1);
};

/** What an SQS message on the ingest or aggregation queue asks for. */
type Work =
  | { readonly type: 'ingest'; readonly location: ObjectLocation; readonly segment: number }
  | { readonly type: 'aggregate'; readonly message: BatchReadyMessage };

/** The attributes `SqsMessageSink` gives a message, which the README's consumer rule reads. */
const attributesOf = (message: OutboundMessage): Record<string, string> => ({
  batch_id: message.batchId,
  message_type: message.type,
  message_id: message.id,
  ...(message.revision !== undefined && { batch_revision: String(message.revision) }),
  ...(message.objectKey !== undefined && { object_key: message.objectKey }),
  ...(message.objectVersion !== undefined && { object_version: message.objectVersion }),
});

/** The smallest object size that `bucketCountOf` spreads over `buckets` (a power of two). */
const sizeForBuckets = (buckets: number): number => (buckets - 1) * BUCKET_BYTES + 1;

const runPipeline = async (
  files: Readonly<Record<FileKind, string>>,
  shape: RunShape,
  deliverySeed?: number,
) => {
  const random = deliverySeed === undefined ? undefined : createSeededRandom(deliverySeed);
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
    maxObjectBytes: 1024 * 1024 * 1024,
    maxLineBytes: MAX_LINE_BYTES,
    maxRowErrors: MAX_ROW_ERRORS,
    stagedRowsTtlMs: 86_400_000,
    ...(shape.segmentBytes !== undefined && { segmentBytes: shape.segmentBytes }),
  };
  // One queue for ingest's and the aggregator's messages: their consumers run side by side, so
  // a continuation of one file may come between two tasks of an aggregation, or after it.
  const queue = new AtLeastOnceQueue<Work>(random && { random, duplicateShare: DUPLICATE_SHARE });
  for (const kind of ['customers', 'orders', 'items'] as const) {
    const location = source.put(`incoming/${BATCH_ID}/${kind}.csv`, files[kind], `0${kind.length}`);
    const size = shape.buckets === undefined ? location.size : sizeForBuckets(shape.buckets);
    queue.send({ type: 'ingest', location: { ...location, size }, segment: 0 });
  }
  let invocations = 0;
  let continued = 0;
  /** Second deliveries, by what they asked for. */
  const redelivered = { upload: 0, continuation: 0, aggregation: 0 };
  for (let delivery = queue.receive(); delivery !== undefined; delivery = queue.receive()) {
    invocations += 1;
    const { messageId, body } = delivery;
    if (delivery.redelivery) {
      if (body.type === 'aggregate') redelivered.aggregation += 1;
      else if (body.segment === 0) redelivered.upload += 1;
      else redelivered.continuation += 1;
    }
    // As the handlers do: the request (and a lease's owner) is the SQS message, the same on
    // each delivery of it; the attempt is this delivery.
    if (body.type === 'ingest') {
      const outcome = await ingestFile(body.location, dependencies, settings, {
        segment: body.segment,
        requestId: messageId,
        // Files cut into segments also hand on to continuations, one to three segments an
        // invocation.
        ...(shape.segmentBytes !== undefined && {
          remainingTimeMs: clockForSegments(1 + (random?.below(3) ?? 0)),
        }),
      });
      if (outcome.status === 'continued') continued += 1;
    } else {
      const { message } = body;
      await aggregateBatch(
        {
          batchId: message.batch_id,
          revision: message.revision,
          owner: message.lease_owner ?? messageId,
          attempt: `${invocations}/${messageId}`,
          ...(message.task !== undefined && { task: message.task }),
        },
        { store, sink, requests },
        { maxRowErrors: MAX_ROW_ERRORS, rowsPerPartition: ROWS_PER_PARTITION[shape.partitions] },
        { remainingTimeMs: () => 300_000 },
      );
    }
    for (const next of continuations.messages.splice(0)) {
      const location = {
        bucket: next.bucket,
        key: next.key,
        size: next.size,
        eTag: next.e_tag,
        sequencer: next.sequencer,
      };
      queue.send({ type: 'ingest', location, segment: next.segment });
    }
    for (const message of requests.requests.splice(0)) queue.send({ type: 'aggregate', message });
  }

  // The output queue delivers at least once, in any order, too: the consumer gets the sends
  // through a queue like the others.
  const consumer = new ResultConsumer();
  const output = new AtLeastOnceQueue<OutboundMessage>(
    random && { random, duplicateShare: DUPLICATE_SHARE },
  );
  for (const message of sink.messages) output.send(message);
  for (let delivery = output.receive(); delivery !== undefined; delivery = output.receive())
    consumer.receive({
      body: delivery.body.body,
      attributes: attributesOf(delivery.body),
      sentAt: 0,
    });

  const bodyOfId = new Map(sink.messages.map((message) => [message.id, message.body]));
  const state = (await store.readBatchState(BATCH_ID))?.state;
  return {
    /** Each message id sent, with its body, once. */
    sent: [...bodyOfId].map(([id, body]) => `${id} ${body}`).sort(),
    /** Sends of an id already sent (with the same body, or the consumer reports an anomaly). */
    repeatedSends: sink.messages.length - bodyOfId.size,
    redelivered,
    consumer,
    latestRevision: state?.revision?.number,
    buckets: state?.revision?.files.map((file) => file.buckets ?? 1),
    progress: await readRunProgress(store, BATCH_ID, 1),
    continued,
  };
};

/** The codes of the error messages among `sent` lines, `<id> <body>`. */
const errorCodesOf = (sent: readonly string[]): ErrorCode[] =>
  sent
    .map((line) => JSON.parse(line.slice(line.indexOf(' ') + 1)) as { type: string; code?: string })
    .filter((body) => body.type === 'error_message')
    .map((body) => body.code as ErrorCode);

/** The files whose problems of one sort pass the cap, so a summary message replaces the rest. */
const filesOverCap = (expected: ExpectedBatch) => ({
  rows: Object.values(expected.rejectedRows).filter((count) => count > MAX_ROW_ERRORS).length,
  references: [
    expected.duplicateReferences.customers,
    expected.orphanOrders + expected.duplicateReferences.orders,
    expected.orphanItems,
  ].filter((count) => count > MAX_ROW_ERRORS).length,
});

/** The fewest continuations a file cut into segments must have handed on in a run. */
const fewestContinuations = (expected: ExpectedBatch, segmentBytes: number): number =>
  Object.values(expected.files).reduce((sum, file) => {
    // A segment stops at the first record boundary past `segmentBytes`; an invocation reads
    // at most three.
    const segments = Math.ceil(file.bytes / (segmentBytes + MAX_LINE_BYTES));
    return sum + Math.ceil(segments / 3) - 1;
  }, 0);

describe('the pipeline output at any segment size, bucket count and partition count', () => {
  it.each([11, 12, 13])('is the same for generated batch %p', async (seed) => {
    const outDir = await mkdtemp(join(folder, `seed-${seed}-`));
    const expected = await generateBatch({ outDir, ...SIZES, seed, errorRate: 0.06 });
    const files = {
      customers: await readFile(expected.files.customers.path, 'utf8'),
      orders: await readFile(expected.files.orders.path, 'utf8'),
      items: await readFile(expected.files.items.path, 'utf8'),
    };

    // The baseline is the batch's expected result: exactly the expected customer messages and
    // as many error messages as expected, per-file caps applied.
    const baseline = await runPipeline(files, { partitions: 1 });
    const check = checkConsumedBatch(expected, baseline.consumer, BATCH_ID, {
      latestRevision: baseline.latestRevision,
      maxRowErrors: MAX_ROW_ERRORS,
    });
    expect(check.problems).toEqual([]);
    expect(baseline.latestRevision).toBe(1);
    expect(baseline.consumer.resultOf(BATCH_ID).sort()).toEqual(
      expected.customers.map(customerMessageBody).sort(),
    );
    const codes = errorCodesOf(baseline.sent);
    expect(codes).toHaveLength(expectedErrorMessageCount(expected, MAX_ROW_ERRORS));
    // Both caps apply, one summary per file over it; and some file stays under them, so the
    // counts merged across segments and partitions must land on the right side of the cap.
    const overCap = filesOverCap(expected);
    expect(overCap.rows).toBeGreaterThanOrEqual(1);
    expect(overCap.references).toBeGreaterThanOrEqual(1);
    expect(overCap.references).toBeLessThan(3);
    expect(codes.filter((code) => code === 'TOO_MANY_ROW_ERRORS')).toHaveLength(overCap.rows);
    expect(codes.filter((code) => code === 'TOO_MANY_REFERENTIAL_ERRORS')).toHaveLength(
      overCap.references,
    );
    // Orphan items alone are more than a partition's share of the cap: the cap is on the file,
    // not on what one of 8 partitions saw.
    expect(expected.orphanItems).toBeGreaterThan(MAX_ROW_ERRORS);
    expect(expectedReferentialProblems(expected)).toBeGreaterThan(MAX_ROW_ERRORS);
    for (const code of ['DUPLICATE_REFERENCE', 'ORPHAN_ORDER', 'ORPHAN_ITEM', 'VALUE_REQUIRED'])
      expect(codes).toContain(code);
    expect(baseline.repeatedSends).toBe(0);

    const redelivered = { upload: 0, continuation: 0, aggregation: 0, output: 0 };
    for (const [index, shape] of RUNS.entries()) {
      const run = await runPipeline(files, shape, seed * 100 + index);
      redelivered.upload += run.redelivered.upload;
      redelivered.continuation += run.redelivered.continuation;
      redelivered.aggregation += run.redelivered.aggregation;
      redelivered.output += run.consumer.duplicates;
      expect({ ...shape, sent: run.sent }).toEqual({ ...shape, sent: baseline.sent });
      // A consumer following the README's rule, getting the output in any order and some of it
      // twice, holds the expected result; no message id came with two bodies.
      expect(run.consumer.anomalies).toEqual([]);
      expect(run.consumer.resultOf(BATCH_ID).sort()).toEqual(
        baseline.consumer.resultOf(BATCH_ID).sort(),
      );
      // Small segments really did cut the files across invocations; buckets and partitions are
      // what the run asked for, and P = 8 finished each of its 8 tasks of both phases.
      expect(run.continued).toBeGreaterThanOrEqual(
        shape.segmentBytes === undefined ? 0 : fewestContinuations(expected, shape.segmentBytes),
      );
      if (shape.segmentBytes === undefined) expect(run.continued).toBe(0);
      expect(run.buckets).toEqual(new Array(3).fill(shape.buckets ?? 1));
      expect(run.progress).toEqual(
        shape.partitions === 8
          ? { partitions: 8, ordersDone: 8, customersDone: 8, finishStarted: true }
          : undefined,
      );
    }
    // Across the runs, every kind of message really was delivered twice at times: an upload's
    // event, a continuation, an aggregation request or task, an output message.
    for (const count of Object.values(redelivered)) expect(count).toBeGreaterThan(0);
  });
});
