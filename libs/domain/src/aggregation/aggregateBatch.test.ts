import { ingestFile } from '../ingest/ingestFile';
import type { MessageSink, OutboundMessage } from '../ports/MessageSink';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
  structuralManifestValidator,
} from '../testing';
import { aggregateBatch, MESSAGES_PER_GROUP } from './aggregateBatch';
import type { AggregationRequest } from './aggregateBatch';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/** A batch of `count` customers with one order of one 1.00 item each. */
const bigBatch = (count: number) => ({
  customers: `customer_reference,first_name,last_name,status\n${Array.from({ length: count }, (_, n) => `C${n},F,L,active`).join('\n')}\n`,
  orders: `order_reference,customer_reference,order_status,order_timestamp\n${Array.from({ length: count }, (_, n) => `O${n},C${n},new,1700000000`).join('\n')}\n`,
  items: `order_reference,item_name,quantity,total_price\n${Array.from({ length: count }, (_, n) => `O${n},pen,1,1.00`).join('\n')}\n`,
});

const setUp = () => {
  let nowMs = Date.UTC(2026, 11, 1);
  const clock = { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore({ now: clock.now });
  const requests = new RecordingAggregationRequests();
  const ingestDependencies = {
    source,
    store,
    sink: new RecordingMessageSink(),
    aggregation: requests,
    validators: markedRowValidators(),
    manifestValidator: structuralManifestValidator,
  };
  const ingestSettings = {
    inputPrefix: 'incoming/',
    maxObjectBytes: 10_000_000,
    maxLineBytes: 10_000,
    maxRowErrors: 100,
    stagedRowsTtlMs: 7 * DAY_MS,
  };
  const upload = (name: string, content: string, sequencer = '0A') =>
    ingestFile(
      source.put(`incoming/b1/${name}`, content, sequencer),
      ingestDependencies,
      ingestSettings,
      {
        now: clock.now,
      },
    );
  const stage = async (files: { customers: string; orders: string; items: string }) => {
    await upload('customers.csv', files.customers);
    await upload('orders.csv', files.orders);
    await upload('items.csv', files.items);
  };
  const aggregate = (
    request: AggregationRequest,
    sink: MessageSink,
    options: { remainingTimeMs?: () => number; maxRowErrors?: number } = {},
  ) =>
    aggregateBatch(
      request,
      { store, sink, requests },
      { maxRowErrors: options.maxRowErrors ?? 1000 },
      { remainingTimeMs: options.remainingTimeMs ?? (() => 300_000), now: clock.now },
    );
  return { clock, store, requests, upload, stage, aggregate };
};

const request = (
  revision: number,
  owner = 'message-1',
  attempt = `${owner}/attempt-1`,
): AggregationRequest => ({ batchId: 'b1', revision, owner, attempt });

/** A sink whose first send waits until `release()`; later sends go through at once. */
const stalledSink = () => {
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const sink = new RecordingMessageSink();
  const send = sink.send.bind(sink);
  let first = true;
  sink.send = async (messages) => {
    if (first) {
      first = false;
      await released;
    }
    await send(messages);
  };
  return { sink, release: () => release() };
};

describe('aggregateBatch', () => {
  it('sends one exact customer_message per customer, one error per orphan, then the batch summary', async () => {
    const { stage, aggregate, store } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    const sink = new RecordingMessageSink();

    const outcome = await aggregate(request(1), sink);

    expect(outcome).toEqual({
      status: 'aggregated',
      batchId: 'b1',
      revision: 1,
      customerMessages: 3,
      errorMessages: 2,
      sent: 6,
    });
    expect(sink.messages.map((message) => message.body)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345679.3}',
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":1,"total_amount_spent":0}',
      '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":0}',
      '{"type":"error_message","message":"orders.csv line 5: customer_reference \\"C9\\" is not an accepted customer of this batch; the order and its items are excluded","code":"ORPHAN_ORDER","batch_id":"b1","file":"orders.csv","line":5,"column":"customer_reference","value":"C9"}',
      '{"type":"error_message","message":"items.csv line 7: order_reference \\"O7\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items.csv","line":7,"column":"order_reference","value":"O7"}',
      `{"type":"batch_summary","batch_id":"b1","revision":1,"files":[{"kind":"customers","file":"customers.csv","object_key":"incoming/b1/customers.csv","object_version":"0A-etag-1","rows":3},{"kind":"orders","file":"orders.csv","object_key":"incoming/b1/orders.csv","object_version":"0A-etag-2","rows":4},{"kind":"items","file":"items.csv","object_key":"incoming/b1/items.csv","object_version":"0A-etag-3","rows":6}],"customer_messages":3,"error_messages":2}`,
    ]);
    expect(
      sink.messages.every((message) => message.batchId === 'b1' && message.revision === 1),
    ).toBe(true);
    expect(store.stateOf('b1')?.aggregated).toEqual({
      revision: 1,
      outcome: 'sent',
      customerMessages: 3,
      errorMessages: 2,
    });
    expect(store.stateOf('b1')?.lease).toBeUndefined();
  });

  it('reads the batch state once per write at P = 1: the read that decides the partitions serves the claim', async () => {
    const { stage, aggregate, store } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    const before = { ...store.calls };
    await aggregate(request(1), new RecordingMessageSink());
    // Writes: the claim, the progress after the one group, the finish. Reads: one before each.
    expect(store.calls.writeBatchState - before.writeBatchState).toBe(3);
    expect(store.calls.readBatchState - before.readBatchState).toBe(3);
  });

  it('gives the same message of a later revision a new id, and the same revision the same ids', async () => {
    const { stage, upload, aggregate } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    const first = new RecordingMessageSink();
    await aggregate(request(1), first);
    await upload('customers.csv', CUSTOMERS, '0B');
    const second = new RecordingMessageSink();
    await aggregate(request(2), second);
    expect(second.messages.slice(0, 5).map((message) => message.body)).toEqual(
      first.messages.slice(0, 5).map((message) => message.body),
    );
    const firstIds = new Set(first.messages.map((message) => message.id));
    expect(second.messages.some((message) => firstIds.has(message.id))).toBe(false);
  });

  it('acknowledges a request for a superseded revision without sending anything', async () => {
    const { stage, upload, aggregate } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    await upload('items.csv', ITEMS, '0B');
    const sink = new RecordingMessageSink();
    expect(await aggregate(request(1), sink)).toEqual({
      batchId: 'b1',
      revision: 1,
      status: 'superseded',
      sent: 0,
    });
    expect(sink.messages).toEqual([]);
  });

  it('does nothing for a revision already aggregated', async () => {
    const { stage, aggregate, store } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    await aggregate(request(1), new RecordingMessageSink());
    const sink = new RecordingMessageSink();
    expect(await aggregate(request(1, 'message-2'), sink)).toEqual({
      batchId: 'b1',
      revision: 1,
      status: 'done',
      sent: 0,
    });
    expect(sink.messages).toEqual([]);
    expect(store.stateOf('b1')?.aggregated?.revision).toBe(1);
  });

  it('leaves a revision to the request that holds its live lease', async () => {
    const { stage, aggregate } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    const { sink: stalled, release } = stalledSink();
    const holder = aggregate(request(1, 'holder'), stalled);
    await new Promise((resolve) => setImmediate(resolve));
    const sink = new RecordingMessageSink();
    expect((await aggregate(request(1, 'duplicate'), sink)).status).toBe('busy');
    expect(sink.messages).toEqual([]);
    release();
    expect((await holder).status).toBe('aggregated');
  });

  it('stops an older attempt of the same request once a newer attempt claims it: one group sent twice at most', async () => {
    const { stage, aggregate } = setUp();
    await stage(bigBatch(2_500));
    const { sink: stalled, release } = stalledSink();
    // SQS delivers the request twice: the first attempt stalls in its first group's send.
    const first = aggregate(request(1, 'message-1', 'attempt-1'), stalled);
    await new Promise((resolve) => setImmediate(resolve));
    const sink = new RecordingMessageSink();
    const second = await aggregate(request(1, 'message-1', 'attempt-2'), sink);
    release();
    expect(second).toMatchObject({ status: 'aggregated', sent: 2_501 });
    expect(await first).toEqual({ batchId: 'b1', revision: 1, status: 'done', sent: 1_000 });
    expect(stalled.messages).toHaveLength(MESSAGES_PER_GROUP);
    expect(new Set(sink.messages.map((message) => message.id)).size).toBe(2_501);
  });

  it('stops before its next group when a newer revision takes the batch over, and never marks it', async () => {
    const { stage, upload, aggregate, store } = setUp();
    await stage(bigBatch(2_500));
    let groups = 0;
    const sink: MessageSink = {
      send: async () => {
        groups += 1;
        // A corrected file arrives while the first group is being sent.
        if (groups === 1) await upload('items.csv', bigBatch(2_500).items, '0B');
      },
    };
    const outcome = await aggregate(request(1), sink);
    expect(outcome).toEqual({
      batchId: 'b1',
      revision: 1,
      status: 'superseded',
      sent: MESSAGES_PER_GROUP,
    });
    expect(groups).toBe(1);
    expect(store.stateOf('b1')?.aggregated).toBeUndefined();
    expect(store.stateOf('b1')?.revision?.number).toBe(2);
  });

  it('hands the rest to a continuation when time runs short, and the continuation sends each message once', async () => {
    const { stage, aggregate, requests } = setUp();
    await stage(bigBatch(2_500));
    const sink = new RecordingMessageSink();
    let remaining = 100_000;
    const first = await aggregate(request(1), sink, {
      // Each look at the clock costs 25 s: after the first group, less time is left than the
      // reserve (a fifth of the 75 s the invocation started with).
      remainingTimeMs: () => (remaining -= 25_000),
    });
    expect(first).toEqual({
      batchId: 'b1',
      revision: 1,
      status: 'continued',
      sent: MESSAGES_PER_GROUP,
      progress: MESSAGES_PER_GROUP,
    });
    const continuation = requests.requests.at(-1);
    expect(continuation).toEqual({
      type: 'batch_ready',
      batch_id: 'b1',
      revision: 1,
      lease_owner: 'message-1/attempt-1',
    });
    const second = await aggregate(request(1, continuation?.lease_owner ?? ''), sink);
    expect(second).toMatchObject({ status: 'aggregated', sent: 2_501 - MESSAGES_PER_GROUP });
    const ids = sink.messages.map((message) => message.id);
    expect(ids).toHaveLength(2_501);
    expect(new Set(ids).size).toBe(2_501);
  });

  it('hands off before a group that would not end before the reserve, judging by the slowest group', async () => {
    const { stage, store, clock, requests } = setUp();
    await stage(bigBatch(3_500));
    const deadline = clock.now() + 60_000;
    // Each group takes 20 s: after two, 20 s are left, more than the 12 s reserve but not
    // enough for a third group as slow as the others.
    const slowSink: MessageSink = { send: async () => void clock.advance(20_000) };
    const outcome = await aggregateBatch(
      request(1),
      { store, sink: slowSink, requests },
      { maxRowErrors: 1000 },
      { remainingTimeMs: () => deadline - clock.now(), now: clock.now },
    );
    expect(outcome).toMatchObject({ status: 'continued', progress: 2 * MESSAGES_PER_GROUP });
  });

  it('resumes from the recorded progress when retried after a crash mid-send', async () => {
    const { stage, aggregate } = setUp();
    await stage(bigBatch(2_500));
    const sent: OutboundMessage[] = [];
    let calls = 0;
    const crashing: MessageSink = {
      send: async (messages) => {
        calls += 1;
        if (calls === 3) throw new Error('killed');
        sent.push(...messages);
      },
    };
    await expect(aggregate(request(1), crashing)).rejects.toThrow('killed');
    expect(sent).toHaveLength(2 * MESSAGES_PER_GROUP);
    const retry = await aggregate(request(1), crashing);
    expect(retry).toMatchObject({ status: 'aggregated', sent: 501 });
    expect(new Set(sent.map((message) => message.id)).size).toBe(2_501);
    expect(sent).toHaveLength(2_501);
  });

  it('caps referential errors per file and counts them in the summary', async () => {
    const { stage, aggregate } = setUp();
    const orphans = Array.from({ length: 5 }, (_, n) => `X${n},pen,1,1`).join('\n');
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: `${ITEMS}\n${orphans}\n` });
    const sink = new RecordingMessageSink();
    await aggregate(request(1), sink, { maxRowErrors: 2 });
    const bodies = sink.bodies() as { type: string; code?: string; error_messages?: number }[];
    expect(bodies.filter((body) => body.type === 'error_message').map((body) => body.code)).toEqual(
      ['ORPHAN_ORDER', 'ORPHAN_ITEM', 'ORPHAN_ITEM', 'TOO_MANY_REFERENTIAL_ERRORS'],
    );
    expect(bodies.at(-1)).toMatchObject({ type: 'batch_summary', error_messages: 4 });
  });

  it('reports staged rows that expired before the aggregation, instead of failing', async () => {
    const { stage, aggregate, store, clock } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    clock.advance(8 * DAY_MS);
    const sink = new RecordingMessageSink();
    expect(await aggregate(request(1), sink)).toEqual({
      batchId: 'b1',
      revision: 1,
      status: 'expired',
      files: ['customers.csv', 'orders.csv', 'items.csv'],
    });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        code: 'STAGED_FILES_EXPIRED',
        message:
          'the staged rows of customers.csv, orders.csv and items.csv expired (or expire within the hour) before the batch could be aggregated with them; upload them again',
      }),
    ]);
    expect(store.stateOf('b1')?.aggregated).toMatchObject({ revision: 1, outcome: 'expired' });
  });

  it('reports a staged file whose chunks are gone as expired', async () => {
    const { stage, aggregate, store } = setUp();
    await stage({ customers: CUSTOMERS, orders: ORDERS, items: ITEMS });
    for (const [key, chunk] of store.chunks)
      if (chunk.key.endsWith('orders.csv')) store.chunks.delete(key);
    const sink = new RecordingMessageSink();
    expect(await aggregate(request(1), sink)).toMatchObject({
      status: 'expired',
      files: ['orders.csv'],
    });
  });

  it('joins a kind sent in parts', async () => {
    const { upload, aggregate } = setUp();
    await upload(
      '_manifest.json',
      JSON.stringify({
        files: [
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'items-1.csv' },
          { name: 'items-2.csv' },
        ],
      }),
    );
    await upload('customers.csv', CUSTOMERS);
    await upload('orders.csv', ORDERS);
    const [header, ...rows] = ITEMS.split('\n');
    await upload('items-1.csv', [header, ...rows.slice(0, 3)].join('\n'));
    await upload('items-2.csv', [header, ...rows.slice(3)].join('\n'));
    const sink = new RecordingMessageSink();
    await aggregate(request(1), sink);
    expect(sink.messages.slice(0, 3).map((message) => message.body)).toEqual([
      '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":12345679.3}',
      '{"type":"customer_message","customer_reference":"C2","number_of_orders":1,"total_amount_spent":0}',
      '{"type":"customer_message","customer_reference":"C3","number_of_orders":0,"total_amount_spent":0}',
    ]);
    expect(sink.bodies()[4]).toMatchObject({ code: 'ORPHAN_ITEM', file: 'items-2.csv', line: 4 });
  });
});
