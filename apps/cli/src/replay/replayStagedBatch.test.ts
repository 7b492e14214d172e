import { aggregateBatch, combinationOf, ingestFile } from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createRowValidators } from '@tally/schema';
import { FORCED_REPLAY_MARK, exitCodeOf, replayStagedBatch } from './replayStagedBatch';
import type { ReplayOutcome, ReplayRoute } from './replayStagedBatch';

const FILES = {
  customers: 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,active\n',
  orders:
    'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,shipped,1700000000\nO9,C9,new,1700000001\n',
  items: 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\nO1,ink,2,0.20\n',
};

const CUSTOMER_MESSAGES = [
  '{"type":"customer_message","customer_reference":"C1","number_of_orders":1,"total_amount_spent":0.3}',
  '{"type":"customer_message","customer_reference":"C2","number_of_orders":0,"total_amount_spent":0}',
];

const lease = (owner: string) => ({ owner, now: 1_000, durationMs: 60_000 });
/** The lease of an aggregation that ran before the replay and has finished. */
const finishedLease = { owner: 'lambda', now: 0, durationMs: 0 };

/** Stages batch b1 as ingest does, and returns the batch_ready message ingest sent. */
const stage = async (kinds: readonly (keyof typeof FILES)[] = ['customers', 'orders', 'items']) => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
  const requests = new RecordingAggregationRequests();
  const dependencies = {
    source,
    store,
    sink: new RecordingMessageSink(),
    aggregation: requests,
    validators: createRowValidators(),
  };
  const settings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 1_000_000,
    maxLineBytes: 65_536,
    maxRowErrors: 100,
  };
  for (const kind of kinds) {
    await ingestFile(source.put(`incoming/b1/${kind}.csv`, FILES[kind]), dependencies, settings);
  }
  return { store, sent: requests.requests[0] };
};

const direct = (sink: RecordingMessageSink, owner = 'replay-1'): ReplayRoute => ({
  mode: 'direct',
  sink,
  lease: lease(owner),
});

const bodiesOf = (sink: RecordingMessageSink) => sink.messages.map((message) => message.body);

describe('replayStagedBatch', () => {
  it('queues the same batch_ready message ingest sent', async () => {
    const { store, sent } = await stage();
    const requests = new RecordingAggregationRequests();
    const outcome = await replayStagedBatch({ batchId: 'b1', force: false }, store, {
      mode: 'queue',
      requests,
    });
    expect(outcome).toEqual({ status: 'requested', message: sent });
    expect(requests.requests).toEqual([sent]);
  });

  it('aggregates in-process and sends the customer and error messages', async () => {
    const { store } = await stage();
    const sink = new RecordingMessageSink();
    const outcome = await replayStagedBatch({ batchId: 'b1', force: false }, store, direct(sink));
    expect(outcome).toEqual({ status: 'aggregated', customerMessages: 2, errorMessages: 1 });
    expect(bodiesOf(sink).slice(0, 2)).toEqual(CUSTOMER_MESSAGES);
    expect(bodiesOf(sink)[2]).toContain('"code":"ORPHAN_ORDER"');
  });

  it('refuses an aggregated batch without --force, writing and sending nothing', async () => {
    const { store, sent } = await stage();
    await aggregateBatch(sent!, { store, sink: new RecordingMessageSink() }, finishedLease);
    const requests = new RecordingAggregationRequests();
    const markedBefore = store.calls.markAggregated;
    expect(
      await replayStagedBatch({ batchId: 'b1', force: false }, store, { mode: 'queue', requests }),
    ).toEqual({ status: 'already-aggregated' });
    expect(requests.requests).toEqual([]);
    expect(store.calls.markAggregated).toBe(markedBefore);
  });

  it('with --force forgets the aggregation, so the aggregator does it again with the same messages', async () => {
    const { store, sent } = await stage();
    const first = new RecordingMessageSink();
    await aggregateBatch(sent!, { store, sink: first }, finishedLease);

    const again = new RecordingMessageSink();
    const outcome = await replayStagedBatch({ batchId: 'b1', force: true }, store, direct(again));

    expect(outcome).toMatchObject({ status: 'aggregated' });
    // Same ids as the first run, so consumers that de-duplicate on message_id see each once.
    expect(again.messages).toEqual(first.messages);
    expect((await store.readManifest('b1'))?.aggregatedCombination).not.toBe(FORCED_REPLAY_MARK);
  });

  it('with --force through the queue, the deployed aggregator will not skip the request', async () => {
    const { store, sent } = await stage();
    await aggregateBatch(sent!, { store, sink: new RecordingMessageSink() }, finishedLease);
    const requests = new RecordingAggregationRequests();
    await replayStagedBatch({ batchId: 'b1', force: true }, store, { mode: 'queue', requests });

    const sink = new RecordingMessageSink();
    const rerun = await aggregateBatch(
      requests.requests[0]!,
      { store, sink },
      lease('sqs-message-2'),
    );
    expect(rerun).toMatchObject({ status: 'aggregated' });
    expect(bodiesOf(sink).slice(0, 2)).toEqual(CUSTOMER_MESSAGES);
  });

  it('reports another aggregation that still holds the lease', async () => {
    const { store, sent } = await stage();
    // The aggregator Lambda started on these files and may run until 10_000.
    await store.leaseAggregation('b1', combinationOf(sent!.files), 'lambda', 0, 10_000);
    const sink = new RecordingMessageSink();
    expect(await replayStagedBatch({ batchId: 'b1', force: false }, store, direct(sink))).toEqual({
      status: 'in-progress',
    });
    expect(sink.messages).toEqual([]);
  });

  it('reports an unknown batch', async () => {
    const requests = new RecordingAggregationRequests();
    expect(
      await replayStagedBatch({ batchId: 'nope', force: true }, new InMemoryStagingStore(), {
        mode: 'queue',
        requests,
      }),
    ).toEqual({ status: 'unknown-batch' });
    expect(requests.requests).toEqual([]);
  });

  it('reports the kinds an incomplete batch lacks', async () => {
    const { store } = await stage(['orders']);
    expect(
      await replayStagedBatch(
        { batchId: 'b1', force: false },
        store,
        direct(new RecordingMessageSink()),
      ),
    ).toEqual({ status: 'incomplete', missing: ['customers', 'items'] });
  });
});

describe('exitCodeOf', () => {
  it.each<[ReplayOutcome, number]>([
    [
      {
        status: 'requested',
        message: {
          type: 'batch_ready',
          batch_id: 'b1',
          files: {
            customers: { file: 'customers.csv', version: 'c1', chunks: 1 },
            orders: { file: 'orders.csv', version: 'o1', chunks: 1 },
            items: { file: 'items.csv', version: 'i1', chunks: 1 },
          },
        },
      },
      0,
    ],
    [{ status: 'aggregated', customerMessages: 1, errorMessages: 0 }, 0],
    [{ status: 'unknown-batch' }, 2],
    [{ status: 'incomplete', missing: ['items'] }, 2],
    [{ status: 'already-aggregated' }, 1],
    [{ status: 'stale' }, 1],
    [{ status: 'in-progress' }, 1],
  ])('%j exits with %i', (outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });
});
