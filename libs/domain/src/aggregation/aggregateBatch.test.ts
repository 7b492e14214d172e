import { ingestFile } from '../ingest/ingestFile';
import type { BatchReadyMessage } from '../messages/outputMessageTypes';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
} from '../testing';
import { aggregateBatch } from './aggregateBatch';

const settings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 10_000,
  maxRowErrors: 100,
  maxChunkBytes: 48,
};

/** Ingests the three files of batch `b1` and returns the "batch ready" request they produced. */
const stageBatch = async (files: { customers: string; orders: string; items: string }) => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
  const aggregation = new RecordingAggregationRequests();
  const ingestSink = new RecordingMessageSink();
  const dependencies = {
    source,
    store,
    sink: ingestSink,
    aggregation,
    validators: markedRowValidators(),
  };
  for (const kind of ['customers', 'orders', 'items'] as const) {
    await ingestFile(source.put(`incoming/b1/${kind}.csv`, files[kind]), dependencies, settings);
  }
  const request = aggregation.requests[0] as BatchReadyMessage;
  return { store, request };
};

const CUSTOMERS =
  'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,active\nC3,Grace,H,inactive\n';
const ORDERS = [
  'order_reference,customer_reference,order_status,order_timestamp',
  'O1,C1,shipped,1700000000',
  'O2,C1,cancelled,1700000001',
  'O3,C2,shipped,1700000002',
  'O4,C9,shipped,1700000003',
].join('\n');
const ITEMS = [
  'order_reference,item_name,quantity,total_price',
  'O1,pen,1,0.10',
  'O1,ink,2,0.20',
  'O2,pad,1,12345678.91',
  'O2,tape,1,0.09',
  'O4,lost,1,5',
  'O7,ghost,1,1',
].join('\n');

const lease = { owner: 'message-1', now: 1_000, durationMs: 60_000 };

describe('aggregateBatch', () => {
  it('sends one exact customer_message per customer and one error per orphan', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const sink = new RecordingMessageSink();

    const outcome = await aggregateBatch(request, { store, sink }, lease);

    expect(outcome).toEqual({
      status: 'aggregated',
      batchId: 'b1',
      customerMessages: 3,
      errorMessages: 2,
    });
    expect(sink.messages.map((message) => message.body).slice(0, 3)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345679.3}',
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":1,"total_amount_spent":0}',
      '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":0}',
    ]);
    expect(sink.bodies().slice(3)).toEqual([
      expect.objectContaining({
        type: 'error_message',
        code: 'ORPHAN_ORDER',
        batch_id: 'b1',
        file: 'orders.csv',
        line: 5,
        value: 'C9',
      }),
      expect.objectContaining({
        type: 'error_message',
        code: 'ORPHAN_ITEM',
        batch_id: 'b1',
        file: 'items.csv',
        line: 7,
        value: 'O7',
      }),
    ]);
    expect(sink.messages.every((message) => message.batchId === 'b1')).toBe(true);
  });

  it('gives every message the same id when the batch is aggregated again', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const first = new RecordingMessageSink();
    const second = new RecordingMessageSink();
    await aggregateBatch(request, { store, sink: first }, lease);
    store.manifests.get('b1')!.aggregatedCombination = undefined; // as if the first run had died before marking
    await aggregateBatch(request, { store, sink: second }, lease);
    expect(second.messages.map((message) => message.id)).toEqual(
      first.messages.map((message) => message.id),
    );
    expect(new Set(first.messages.map((message) => message.id)).size).toBe(first.messages.length);
  });

  it('skips a request delivered twice', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const sink = new RecordingMessageSink();
    await aggregateBatch(request, { store, sink }, lease);
    const count = sink.messages.length;
    expect(await aggregateBatch(request, { store, sink }, lease)).toEqual({
      status: 'already-aggregated',
      batchId: 'b1',
    });
    expect(sink.messages).toHaveLength(count);
  });

  it('skips a stale request whose files are no longer the current ones', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const stale = {
      ...request,
      files: { ...request.files, items: { ...request.files.items, version: 'older' } },
    };
    const sink = new RecordingMessageSink();
    expect(await aggregateBatch(stale, { store, sink }, lease)).toEqual({
      status: 'stale',
      batchId: 'b1',
    });
    expect(sink.messages).toEqual([]);
  });

  it('does not mark the batch aggregated when sending fails, so the retry sends again', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const sink = new RecordingMessageSink();
    sink.failNextSends = 1;
    await expect(aggregateBatch(request, { store, sink }, lease)).rejects.toThrow(
      'injected send failure',
    );
    expect((await store.readManifest('b1'))?.aggregatedCombination).toBeUndefined();
    expect(await aggregateBatch(request, { store, sink }, lease)).toMatchObject({
      status: 'aggregated',
    });
    expect(sink.messages).toHaveLength(5);
  });

  it('lets one of two concurrent deliveries aggregate and the other acknowledge', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    const sink = new RecordingMessageSink();
    const outcomes = await Promise.all([
      aggregateBatch(request, { store, sink }, { owner: 'm1', now: 1_000, durationMs: 60_000 }),
      aggregateBatch(request, { store, sink }, { owner: 'm2', now: 1_000, durationMs: 60_000 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['aggregated', 'in-progress']);
    expect(sink.messages).toHaveLength(5);
  });

  it('lets another request take over once the lease of a crashed holder has run out', async () => {
    const { store, request } = await stageBatch({
      customers: CUSTOMERS,
      orders: ORDERS,
      items: ITEMS,
    });
    expect(await store.leaseAggregation('b1', 'x', 'ignored', 0, 0)).toBe(true);
    const crashed = new RecordingMessageSink();
    crashed.failNextSends = 1;
    await expect(
      aggregateBatch(
        request,
        { store, sink: crashed },
        { owner: 'm1', now: 1_000, durationMs: 60_000 },
      ),
    ).rejects.toThrow();
    const sink = new RecordingMessageSink();
    expect(
      await aggregateBatch(
        request,
        { store, sink },
        { owner: 'm2', now: 30_000, durationMs: 60_000 },
      ),
    ).toEqual({ status: 'in-progress', batchId: 'b1' });
    expect(
      await aggregateBatch(
        request,
        { store, sink },
        { owner: 'm2', now: 61_001, durationMs: 60_000 },
      ),
    ).toMatchObject({ status: 'aggregated' });
  });
});
