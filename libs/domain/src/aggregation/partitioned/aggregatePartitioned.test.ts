import type { FileKind } from '../../batch/fileKind';
import { commitStagedUpload } from '../../lifecycle/commitUpload';
import { updateBatchState } from '../../lifecycle/updateBatchState';
import type { BatchReadyMessage } from '../../messages/outputMessageTypes';
import { referenceHash, slotOf } from '../../partitioning/referenceHash';
import { PARTITION_REFERENCE_OF, bucketsRecordName } from '../../staging/stagedBuckets';
import { StagedChunkBuilder } from '../../staging/stagedRowCodec';
import type { StagedRowOfKind } from '../../staging/stagedRowTypes';
import { InMemoryStagingStore } from '../../testing/InMemoryStagingStore';
import { RecordingAggregationRequests } from '../../testing/RecordingAggregationRequests';
import { RecordingMessageSink } from '../../testing/RecordingMessageSink';
import { aggregateBatch } from '../aggregateBatch';
import type { AggregateOutcome } from '../aggregateBatch';
import { RunRecordMissingError } from './aggregatePartitioned';
import { readRunProgress } from './runRecords';

const DAY_MS = 86_400_000;

/** A seeded generator, so every run stages the same rows. */
const randomOf = (seed: number) => {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
};

interface FileRows<K extends FileKind> {
  readonly kind: K;
  readonly file: string;
  readonly rows: readonly StagedRowOfKind[K][];
  /** Buckets the upload spreads its rows over. */
  readonly buckets: number;
  readonly version?: string;
}

/** Stages rows as ingest does: per bucket, in line order, then commits the upload. */
const stage = async <K extends FileKind>(
  store: InMemoryStagingStore,
  now: number,
  { kind, file, rows, buckets, version = 'v1' }: FileRows<K>,
) => {
  const key = `incoming/b1/${file}`;
  const expiresAt = now + 7 * DAY_MS;
  const counts = Array.from({ length: buckets }, () => 0);
  const builders = counts.map(() => new StagedChunkBuilder(kind, { maxChunkBytes: 400 }));
  const put = async (bucket: number, chunk: { rows: string; rowCount: number } | undefined) => {
    if (chunk === undefined) return;
    const index = counts[bucket] ?? 0;
    counts[bucket] = index + 1;
    await store.putChunks([{ batchId: 'b1', key, version, bucket, index, ...chunk, expiresAt }]);
  };
  const referenceOf = PARTITION_REFERENCE_OF[kind] as (row: StagedRowOfKind[K]) => string;
  for (const row of rows) {
    const bucket = slotOf(referenceHash(referenceOf(row)), buckets);
    await put(bucket, builders[bucket]?.add(row));
  }
  for (const [bucket, builder] of builders.entries()) await put(bucket, builder.flush());
  if (buckets > 1)
    await store.writeRecord(
      'b1',
      bucketsRecordName(key, version),
      { bucketChunks: counts },
      undefined,
      expiresAt,
    );
  const chunks = counts.reduce((sum, count) => sum + count, 0);
  await updateBatchState(store, 'b1', (state) =>
    commitStagedUpload(
      state,
      'b1',
      {
        key,
        kind,
        file,
        version,
        sequencer: `0A${version}`,
        chunks,
        ...(buckets > 1 && { buckets }),
        rowsRead: rows.length,
        rowCount: rows.length,
        sha256: 'ab'.repeat(32),
        expiresAt,
      },
      now,
    ),
  );
};

/** A batch with repeated and orphan references; customers in 1 bucket, orders in 8, items in 2. */
const batchOf = (seed: number) => {
  const random = randomOf(seed);
  const lines = (count: number) => Array.from({ length: count }, (_, n) => n + 2);
  return [
    {
      kind: 'customers',
      file: 'customers.csv',
      buckets: 1,
      rows: lines(300).map((line) => ({ line, customerReference: `C${random(320)}` })),
    },
    {
      kind: 'orders',
      file: 'orders.csv',
      buckets: 8,
      rows: lines(900).map((line) => ({
        line,
        orderReference: `O${random(1_000)}`,
        customerReference: `C${random(340)}`,
      })),
    },
    {
      kind: 'items',
      file: 'items.csv',
      buckets: 2,
      rows: lines(3_000).map((line) => ({
        line,
        orderReference: `O${random(1_050)}`,
        amount: BigInt(random(50_000_000)),
      })),
    },
  ] as const;
};

/**
 * Runs the aggregator on in-memory ports the way the queue would: every request it sends is
 * handled in turn (each delivered `deliveries` times) until none is left.
 */
const runQueue = async (
  store: InMemoryStagingStore,
  rowsPerPartition: number,
  options: {
    deliveries?: number;
    /** Each invocation's clock of the time it has left. */
    timeLeft?: () => () => number;
    sink?: RecordingMessageSink;
    /** The first delivery of a matching request fails at its first send of a request. */
    failOnce?: (message: BatchReadyMessage) => boolean;
    /** The aggregator's clock (the store's must agree). */
    now?: () => number;
    /** Called before each delivery, as time passes between them. */
    beforeDelivery?: (message: BatchReadyMessage) => void;
  } = {},
) => {
  const sink = options.sink ?? new RecordingMessageSink();
  const requests = new RecordingAggregationRequests();
  const outcomes: AggregateOutcome[] = [];
  const queue: BatchReadyMessage[] = [{ type: 'batch_ready', batch_id: 'b1', revision: 1 }];
  let delivered = 0;
  while (queue.length > 0) {
    const message = queue.shift() as BatchReadyMessage;
    const owner = `m${delivered}`;
    let failed = false;
    for (let copy = 0; copy < (options.deliveries ?? 1) || failed; copy += 1) {
      delivered += 1;
      options.beforeDelivery?.(message);
      if (!failed && options.failOnce?.(message) === true) {
        failed = true;
        requests.failNextRequests = 1;
      } else failed = false;
      const handling = aggregateBatch(
        {
          batchId: message.batch_id,
          revision: message.revision,
          owner: message.lease_owner ?? owner,
          attempt: `attempt-${delivered}`,
          ...(message.task !== undefined && { task: message.task }),
        },
        { store, sink, requests },
        { maxRowErrors: 5, rowsPerPartition },
        {
          remainingTimeMs: options.timeLeft?.() ?? (() => 300_000),
          ...(options.now !== undefined && { now: options.now }),
        },
      );
      if (failed) {
        // The invocation fails; SQS delivers the same message (same owner) again.
        await expect(handling).rejects.toThrow('injected aggregation request failure');
        continue;
      }
      outcomes.push(await handling);
      queue.push(...requests.requests.splice(0));
    }
  }
  return { sink, outcomes };
};

const bodiesOf = (sink: RecordingMessageSink) =>
  [...new Set(sink.messages.map((m) => m.body))].sort();

const stagedStore = async (seed: number, now: () => number = Date.now) => {
  const store = new InMemoryStagingStore({ now });
  for (const file of batchOf(seed)) await stage(store, now(), file as FileRows<FileKind>);
  return store;
};

describe('the partitioned aggregation on in-memory ports', () => {
  it.each([1, 2])(
    'sends exactly the single-pass messages at P = 2, 4 and 16 (seed %p)',
    async (seed) => {
      const single = await runQueue(await stagedStore(seed), 1_000_000);
      expect(single.outcomes.map((outcome) => outcome.status)).toEqual(['aggregated']);
      const expected = bodiesOf(single.sink);
      for (const code of [
        'DUPLICATE_REFERENCE',
        'ORPHAN_ORDER',
        'ORPHAN_ITEM',
        'TOO_MANY_REFERENTIAL_ERRORS',
      ])
        expect(expected.some((body) => body.includes(code))).toBe(true);

      for (const [rowsPerPartition, partitions] of [
        [2_500, 2],
        [1_100, 4],
        [270, 16],
      ] as const) {
        const store = await stagedStore(seed);
        const run = await runQueue(store, rowsPerPartition);
        expect(run.outcomes[0]).toMatchObject({ status: 'started', partitions });
        expect(bodiesOf(run.sink)).toEqual(expected);
        // Every message once: ids are unique, and the summary is the last message sent.
        expect(new Set(run.sink.messages.map((m) => m.id)).size).toBe(run.sink.messages.length);
        expect(run.sink.bodies().at(-1)).toMatchObject({ type: 'batch_summary', revision: 1 });
        expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'sent' });
        const tasks = run.outcomes.filter((outcome) => outcome.status === 'task-done');
        expect(tasks).toHaveLength(2 * partitions + 1);
      }
    },
  );

  it('sends nothing new when every request is delivered twice', async () => {
    const expected = bodiesOf((await runQueue(await stagedStore(3), 1_000_000)).sink);
    const store = await stagedStore(3);
    const run = await runQueue(store, 1_100, { deliveries: 2 });
    expect(bodiesOf(run.sink)).toEqual(expected);
    const ids = run.sink.messages.map((message) => message.id);
    // A second delivery of a task that finished sends nothing, and never starts a phase twice.
    expect(new Set(ids).size).toBe(expected.length);
    expect(ids).toHaveLength(expected.length);
    expect(await readRunProgress(store, 'b1', 1)).toEqual({
      partitions: 4,
      ordersDone: 4,
      customersDone: 4,
      finishStarted: true,
    });
    expect(await readRunProgress(store, 'b1', 2)).toBeUndefined();
    // The finish's redelivery reports no summary: the revision's counts are reported once.
    const summaries = run.outcomes.flatMap((outcome) =>
      outcome.status === 'task-done' && outcome.summary !== undefined ? [outcome.summary] : [],
    );
    const bodies = run.sink.bodies() as { type: string }[];
    expect(summaries).toEqual([
      {
        customerMessages: bodies.filter((body) => body.type === 'customer_message').length,
        errorMessages: bodies.filter((body) => body.type === 'error_message').length,
      },
    ]);
  });

  it('hands the rest of a task to a continuation when time runs short, sending each message once', async () => {
    const now = Date.now();
    const store = new InMemoryStagingStore();
    const lines = Array.from({ length: 5_000 }, (_, n) => n + 2);
    const customers = lines.map((line) => ({ line, customerReference: `C${line}` }));
    await stage(store, now, {
      kind: 'customers',
      file: 'customers.csv',
      rows: customers,
      buckets: 4,
    });
    await stage(store, now, { kind: 'orders', file: 'orders.csv', rows: [], buckets: 1 });
    await stage(store, now, { kind: 'items', file: 'items.csv', rows: [], buckets: 1 });
    // Each invocation has 100 s, and each look at the clock costs 45 s: a task hands over
    // after its second group.
    const run = await runQueue(store, 2_500, {
      timeLeft: () => {
        let calls = 0;
        return () => 100_000 - calls++ * 45_000;
      },
    });
    const continued = run.outcomes.filter((outcome) => outcome.status === 'task-continued');
    expect(continued.length).toBeGreaterThan(0);
    expect(run.sink.messages).toHaveLength(5_001);
    expect(new Set(run.sink.messages.map((message) => message.id)).size).toBe(5_001);
    expect(run.sink.bodies().at(-1)).toMatchObject({ customer_messages: 5_000, error_messages: 0 });
  });

  it.each(['orders', 'customers'] as const)(
    "sends the next phase exactly once when the %s phase's last task fails before sending it",
    async (phase) => {
      const expected = bodiesOf((await runQueue(await stagedStore(6), 1_000_000)).sink);
      const store = await stagedStore(6);
      const run = await runQueue(store, 1_100, {
        failOnce: (message) => message.task?.phase === phase && message.task.partition === 3,
      });
      expect(bodiesOf(run.sink)).toEqual(expected);
      expect(run.sink.messages).toHaveLength(expected.length);
      const next = phase === 'orders' ? 'customers' : 'finish';
      const started = run.outcomes.filter(
        (outcome) =>
          outcome.status === 'task-done' && outcome.startedNext && outcome.phase === phase,
      );
      expect(started).toHaveLength(1);
      const nextTasks = run.outcomes.filter(
        (outcome) => outcome.status === 'task-done' && outcome.phase === next,
      );
      expect(nextTasks).toHaveLength(next === 'finish' ? 1 : 4);
    },
  );

  it('finishes exactly when its customers tasks are redriven days later, while the rows are staged', async () => {
    const expected = bodiesOf((await runQueue(await stagedStore(7), 1_000_000)).sink);
    let clock = Date.now();
    const now = () => clock;
    const store = await stagedStore(7, now);
    const run = await runQueue(store, 1_100, {
      now,
      // The customers phase waits in the DLQ for 6 days before a redrive (rows last 7).
      beforeDelivery: (message) => {
        if (message.task?.phase === 'customers' && message.task.partition === 0)
          clock = Math.max(clock, Date.now() + 6 * DAY_MS);
      },
    });
    expect(bodiesOf(run.sink)).toEqual(expected);
    expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'sent' });
  });

  it('reports the revision expired, sending no customer message, when its rows and run are gone', async () => {
    let clock = Date.now();
    const now = () => clock;
    const store = await stagedStore(8, now);
    const run = await runQueue(store, 1_100, {
      now,
      beforeDelivery: (message) => {
        if (message.task?.phase === 'customers' && message.task.partition === 0)
          clock = Math.max(clock, Date.now() + 8 * DAY_MS);
      },
    });
    // One message: the revision's files expired (no customer message, no summary).
    expect(run.sink.bodies().map((body) => (body as { type: string }).type)).toEqual([
      'error_message',
    ]);
    expect(run.sink.bodies()[0]).toMatchObject({
      type: 'error_message',
      code: 'STAGED_FILES_EXPIRED',
    });
    expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'expired' });
    // Each of the 4 customers tasks finds the rows gone; the revision is reported expired once.
    expect(run.outcomes.filter((outcome) => outcome.status === 'expired')).toHaveLength(1);
  });

  it('reports the revision expired from the finish, which reads only records, when its rows are due', async () => {
    let clock = Date.now();
    const now = () => clock;
    const store = await stagedStore(11, now);
    const run = await runQueue(store, 1_100, {
      now,
      beforeDelivery: (message) => {
        if (message.task?.phase === 'finish') clock = Math.max(clock, Date.now() + 8 * DAY_MS);
      },
    });
    const bodies = run.sink.bodies() as { type: string; code?: string }[];
    expect(bodies.filter((body) => body.type === 'batch_summary')).toEqual([]);
    expect(bodies.at(-1)).toMatchObject({ type: 'error_message', code: 'STAGED_FILES_EXPIRED' });
    expect(run.outcomes.filter((outcome) => outcome.status === 'expired')).toEqual([
      {
        batchId: 'b1',
        revision: 1,
        status: 'expired',
        files: ['customers.csv', 'orders.csv', 'items.csv'],
      },
    ]);
    expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'expired' });
  });

  it('fails a customers task whose orders records are gone before the rows expire, sending nothing', async () => {
    const store = await stagedStore(9);
    const sink = new RecordingMessageSink();
    const requests = new RecordingAggregationRequests();
    const dependencies = { store, sink, requests };
    const settings = { maxRowErrors: 5, rowsPerPartition: 1_100 };
    const options = { remainingTimeMs: () => 300_000 };
    const task = { phase: 'customers', partition: 0, partitions: 4 } as const;
    await expect(
      aggregateBatch(
        { batchId: 'b1', revision: 1, owner: 'm1', attempt: 'a1', task },
        dependencies,
        settings,
        options,
      ),
    ).rejects.toThrow(RunRecordMissingError);
    expect(sink.messages).toEqual([]);
    expect(store.stateOf('b1')?.aggregated).toBeUndefined();
  });

  it('resends the orders tasks of the partitions the run started with, whatever the setting is now', async () => {
    const store = await stagedStore(10);
    const requests = new RecordingAggregationRequests();
    const dependencies = { store, sink: new RecordingMessageSink(), requests };
    const options = { remainingTimeMs: () => 300_000 };
    const request = { batchId: 'b1', revision: 1, owner: 'm0', attempt: 'a0' };
    await aggregateBatch(
      request,
      dependencies,
      { maxRowErrors: 5, rowsPerPartition: 1_100 },
      options,
    );
    // The starter's retry, after the setting changed from 4 partitions' worth to 16.
    const resent = await aggregateBatch(
      { ...request, attempt: 'a1' },
      dependencies,
      { maxRowErrors: 5, rowsPerPartition: 270 },
      options,
    );
    expect(resent).toMatchObject({ status: 'resent', partitions: 4 });
    expect(requests.requests.map((message) => message.task)).toEqual(
      [0, 1, 2, 3, 0, 1, 2, 3].map((partition) => ({ phase: 'orders', partition, partitions: 4 })),
    );
  });

  it('stops a run whose revision a newer one superseded: nothing marked, no summary', async () => {
    const store = await stagedStore(5);
    const sink = new RecordingMessageSink();
    const requests = new RecordingAggregationRequests();
    const dependencies = { store, sink, requests };
    const settings = { maxRowErrors: 5, rowsPerPartition: 1_100 };
    const options = { remainingTimeMs: () => 300_000 };
    const started = await aggregateBatch(
      { batchId: 'b1', revision: 1, owner: 'm0', attempt: 'a0' },
      dependencies,
      settings,
      options,
    );
    expect(started).toMatchObject({ status: 'started', partitions: 4 });
    // A corrected items.csv arrives: revision 2.
    const corrected = { kind: 'items', file: 'items.csv', rows: [], buckets: 1, version: 'v2' };
    await stage(store, Date.now(), corrected as FileRows<'items'>);
    expect(store.stateOf('b1')?.revision?.number).toBe(2);
    const [task] = requests.requests;
    const outcome = await aggregateBatch(
      { batchId: 'b1', revision: 1, owner: 'm1', attempt: 'a1', task: task?.task },
      dependencies,
      settings,
      options,
    );
    expect(outcome).toEqual({ batchId: 'b1', revision: 1, status: 'superseded', sent: 0 });
    expect(sink.messages).toEqual([]);
    expect(store.stateOf('b1')?.aggregated).toBeUndefined();
  });
});
