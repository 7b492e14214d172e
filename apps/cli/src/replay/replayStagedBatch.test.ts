import { aggregateBatch, ingestFile, startAggregation, updateBatchState } from '@tally/domain';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import { exitCodeOf, replayStagedBatch } from './replayStagedBatch';
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

/** Stages batch b1 as ingest does; the store then holds revision 1, not yet aggregated. */
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
    manifestValidator: createBatchManifestValidator(),
  };
  const settings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 1_000_000,
    maxLineBytes: 65_536,
    maxRowErrors: 100,
    stagedRowsTtlMs: 86_400_000,
  };
  for (const kind of kinds) {
    await ingestFile(source.put(`incoming/b1/${kind}.csv`, FILES[kind]), dependencies, settings);
  }
  return { store, requests };
};

/** What the deployed aggregator would do with revision `revision`. */
const aggregateAsLambda = (
  store: InMemoryStagingStore,
  revision: number,
  sink = new RecordingMessageSink(),
) =>
  aggregateBatch(
    { batchId: 'b1', revision, owner: 'lambda', attempt: 'lambda-1' },
    { store, sink, requests: new RecordingAggregationRequests() },
    { maxRowErrors: 100 },
    { remainingTimeMs: () => 300_000 },
  );

const direct = (sink: RecordingMessageSink): ReplayRoute => ({
  mode: 'direct',
  sink,
  maxRowErrors: 100,
});
const request = (force: boolean) => ({ batchId: 'b1', force, requester: 'replay-1' });
const bodiesOf = (sink: RecordingMessageSink) => sink.messages.map((message) => message.body);

describe('replayStagedBatch', () => {
  it('queues the latest revision again when it was never finished (its request was lost)', async () => {
    const { store } = await stage();
    const requests = new RecordingAggregationRequests();
    expect(await replayStagedBatch(request(false), store, { mode: 'queue', requests })).toEqual({
      status: 'requested',
      revision: 1,
    });
    expect(requests.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
  });

  it('aggregates in-process and sends the customer and error messages, then the summary', async () => {
    const { store } = await stage();
    const sink = new RecordingMessageSink();
    expect(await replayStagedBatch(request(false), store, direct(sink))).toEqual({
      status: 'aggregated',
      revision: 1,
      customerMessages: 2,
      errorMessages: 1,
    });
    expect(bodiesOf(sink).slice(0, 2)).toEqual(CUSTOMER_MESSAGES);
    expect(bodiesOf(sink)[2]).toContain('"code":"ORPHAN_ORDER"');
    expect(bodiesOf(sink)[3]).toContain('"type":"batch_summary","batch_id":"b1","revision":1');
    expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'sent' });
  });

  it("runs a partitioned aggregation's tasks in-process, with the same messages", async () => {
    const { store } = await stage();
    const sink = new RecordingMessageSink();
    const route = { ...direct(sink), rowsPerPartition: 2 } as ReplayRoute;
    expect(await replayStagedBatch(request(false), store, route)).toEqual({
      status: 'aggregated',
      revision: 1,
      customerMessages: 2,
      errorMessages: 1,
    });
    expect([...bodiesOf(sink).slice(0, 2)].sort()).toEqual(CUSTOMER_MESSAGES);
    expect(bodiesOf(sink)[2]).toContain('"code":"ORPHAN_ORDER"');
    expect(bodiesOf(sink)[3]).toContain('"type":"batch_summary","batch_id":"b1","revision":1');
    expect(bodiesOf(sink)).toHaveLength(4);
  });

  it('refuses an aggregated batch without --force, writing and sending nothing', async () => {
    const { store } = await stage();
    await aggregateAsLambda(store, 1);
    const writes = store.calls.writeBatchState;
    const requests = new RecordingAggregationRequests();
    expect(await replayStagedBatch(request(false), store, { mode: 'queue', requests })).toEqual({
      status: 'already-aggregated',
      revision: 1,
    });
    expect(requests.requests).toEqual([]);
    expect(store.calls.writeBatchState).toBe(writes);
  });

  it('with --force aggregates the same files as a new revision, whose messages replace the earlier ones', async () => {
    const { store } = await stage();
    const first = new RecordingMessageSink();
    await aggregateAsLambda(store, 1, first);

    const again = new RecordingMessageSink();
    expect(await replayStagedBatch(request(true), store, direct(again))).toMatchObject({
      status: 'aggregated',
      revision: 2,
    });
    expect(bodiesOf(again).slice(0, 3)).toEqual(bodiesOf(first).slice(0, 3));
    expect(again.messages.every((message) => message.revision === 2)).toBe(true);
    const firstIds = new Set(first.messages.map((message) => message.id));
    expect(again.messages.some((message) => firstIds.has(message.id))).toBe(false);
    expect(store.stateOf('b1')?.revision).toMatchObject({ number: 2, requestedBy: 'replay-1' });
  });

  it('with --force through the queue, asks the deployed aggregator for the new revision', async () => {
    const { store } = await stage();
    await aggregateAsLambda(store, 1);
    const requests = new RecordingAggregationRequests();
    expect(await replayStagedBatch(request(true), store, { mode: 'queue', requests })).toEqual({
      status: 'requested',
      revision: 2,
    });
    const sink = new RecordingMessageSink();
    expect(await aggregateAsLambda(store, 2, sink)).toMatchObject({ status: 'aggregated' });
    expect(bodiesOf(sink).slice(0, 2)).toEqual(CUSTOMER_MESSAGES);
  });

  it('leaves a revision to the aggregation that holds its lease', async () => {
    const { store } = await stage();
    await updateBatchState(store, 'b1', (state) =>
      startAggregation(
        state,
        { revision: 1, owner: 'lambda', attempt: 'lambda-1', leaseMs: 60_000 },
        Date.now(),
      ),
    );
    const sink = new RecordingMessageSink();
    expect(await replayStagedBatch(request(false), store, direct(sink))).toEqual({
      status: 'busy',
      revision: 1,
    });
    expect(sink.messages).toEqual([]);
  });

  it('reports an unknown batch', async () => {
    const requests = new RecordingAggregationRequests();
    expect(
      await replayStagedBatch(request(true), new InMemoryStagingStore(), {
        mode: 'queue',
        requests,
      }),
    ).toEqual({ status: 'unknown-batch' });
    expect(requests.requests).toEqual([]);
  });

  it('reports what an incomplete batch lacks', async () => {
    const { store } = await stage(['orders']);
    expect(
      await replayStagedBatch(request(true), store, direct(new RecordingMessageSink())),
    ).toEqual({
      status: 'incomplete',
      missing: ['customers', 'items'],
      blocked: [],
    });
  });
});

describe('exitCodeOf', () => {
  it.each<[ReplayOutcome, number]>([
    [{ status: 'requested', revision: 1 }, 0],
    [{ status: 'aggregated', revision: 1, customerMessages: 1, errorMessages: 0 }, 0],
    [{ status: 'unknown-batch' }, 2],
    [{ status: 'incomplete', missing: ['items'], blocked: [] }, 2],
    [{ status: 'already-aggregated', revision: 1 }, 1],
    [{ status: 'superseded', revision: 1 }, 1],
    [{ status: 'busy', revision: 1 }, 1],
    [{ status: 'expired', revision: 1, files: ['items.csv'] }, 1],
  ])('%j exits with %i', (outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });
});
