import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
} from '../testing';
import { ingestFile } from './ingestFile';
import type { IngestSettings } from './ingestFile';

const settings: IngestSettings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 10_000,
  maxRowErrors: 100,
  maxChunkBytes: 64,
};

const CUSTOMERS =
  'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,active\n';
const ORDERS =
  'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,shipped,1700000000\n';
const ITEMS = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\nO1,ink,2,0.20\n';

const setUp = () => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
  const sink = new RecordingMessageSink();
  const aggregation = new RecordingAggregationRequests();
  return {
    source,
    store,
    sink,
    aggregation,
    dependencies: { source, store, sink, aggregation, validators: markedRowValidators() },
  };
};

describe('ingestFile', () => {
  it('stages a valid file and records it in the manifest', async () => {
    const { source, store, sink, dependencies } = setUp();
    const outcome = await ingestFile(
      source.put('incoming/b1/customers.csv', CUSTOMERS),
      dependencies,
      settings,
    );
    expect(outcome).toEqual({
      status: 'staged',
      batchId: 'b1',
      kind: 'customers',
      rowsRead: 2,
      accepted: 2,
      rejected: 0,
      requestedAggregation: false,
    });
    const manifest = await store.readManifest('b1');
    expect(manifest?.files.customers).toMatchObject({
      file: 'customers.csv',
      key: 'incoming/b1/customers.csv',
      rowCount: 2,
    });
    expect(sink.messages).toEqual([]);
  });

  it('packs rows into several chunks when they exceed the chunk budget', async () => {
    const { source, store, dependencies } = setUp();
    const rows = Array.from({ length: 40 }, (_, n) => `C${n},First${n},Last${n},active`).join('\n');
    await ingestFile(
      source.put(
        'incoming/b1/customers.csv',
        `customer_reference,first_name,last_name,status\n${rows}\n`,
      ),
      dependencies,
      settings,
    );
    const manifest = await store.readManifest('b1');
    expect(manifest?.files.customers?.chunks).toBeGreaterThan(1);
    expect(store.chunks.size).toBe(manifest?.files.customers?.chunks);
    const total = [...store.chunks.values()].reduce((sum, chunk) => sum + chunk.rowCount, 0);
    expect(total).toBe(40);
  });

  it('requests aggregation exactly once when the third kind arrives', async () => {
    const { source, aggregation, dependencies } = setUp();
    const first = await ingestFile(
      source.put('incoming/b1/customers.csv', CUSTOMERS),
      dependencies,
      settings,
    );
    const second = await ingestFile(
      source.put('incoming/b1/orders.csv', ORDERS),
      dependencies,
      settings,
    );
    const third = await ingestFile(
      source.put('incoming/b1/items.csv', ITEMS),
      dependencies,
      settings,
    );
    expect(
      [first, second, third].map(
        (outcome) => 'requestedAggregation' in outcome && outcome.requestedAggregation,
      ),
    ).toEqual([false, false, true]);
    expect(aggregation.requests).toHaveLength(1);
    expect(aggregation.requests[0]).toMatchObject({
      type: 'batch_ready',
      batch_id: 'b1',
      files: {
        customers: { file: 'customers.csv' },
        orders: { file: 'orders.csv' },
        items: { file: 'items.csv' },
      },
    });
  });

  it('stages nothing twice when the same event is delivered again', async () => {
    const { source, store, aggregation, dependencies } = setUp();
    const customers = source.put('incoming/b1/customers.csv', CUSTOMERS);
    await ingestFile(customers, dependencies, settings);
    await ingestFile(source.put('incoming/b1/orders.csv', ORDERS), dependencies, settings);
    const items = source.put('incoming/b1/items.csv', ITEMS);
    await ingestFile(items, dependencies, settings);
    const putsBefore = store.calls.putChunks;

    const againItems = await ingestFile(items, dependencies, settings);
    const againCustomers = await ingestFile(customers, dependencies, settings);

    expect(againItems).toMatchObject({ status: 'already-staged', requestedAggregation: true });
    expect(againCustomers).toMatchObject({ status: 'already-staged', requestedAggregation: false });
    expect(store.calls.putChunks).toBe(putsBefore);
    // The upload that won the claim re-sends (its first send may have failed); the aggregator
    // skips a combination it already aggregated. Any other upload sends nothing.
    expect(aggregation.requests).toHaveLength(2);
    expect(aggregation.requests[1]).toEqual(aggregation.requests[0]);
  });

  it('re-sends "batch ready" on the retry of the upload whose first send failed', async () => {
    const { source, aggregation, dependencies } = setUp();
    await ingestFile(source.put('incoming/b1/customers.csv', CUSTOMERS), dependencies, settings);
    await ingestFile(source.put('incoming/b1/orders.csv', ORDERS), dependencies, settings);
    const items = source.put('incoming/b1/items.csv', ITEMS);
    aggregation.failNextRequests = 1;
    await expect(ingestFile(items, dependencies, settings)).rejects.toThrow(
      'injected aggregation request failure',
    );
    const retry = await ingestFile(items, dependencies, settings);
    expect(retry).toMatchObject({ status: 'already-staged', requestedAggregation: true });
    expect(aggregation.requests).toHaveLength(1);
  });

  it('lets only one of two uploads completing the same combination send "batch ready"', async () => {
    const { source, aggregation, dependencies } = setUp();
    const customers = source.put('incoming/b1/customers.csv', CUSTOMERS);
    const orders = source.put('incoming/b1/orders.csv', ORDERS);
    const items = source.put('incoming/b1/items.csv', ITEMS);
    await Promise.all(
      [customers, orders, items].map((location) => ingestFile(location, dependencies, settings)),
    );
    expect(aggregation.requests).toHaveLength(1);
  });

  it('reports rejected rows with their line and stages the others', async () => {
    const { source, sink, dependencies } = setUp();
    const outcome = await ingestFile(
      source.put(
        'incoming/b1/customers.csv',
        'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nBAD,x,y,z\nC3,A,B,C\n',
      ),
      dependencies,
      settings,
    );
    expect(outcome).toMatchObject({ status: 'staged', accepted: 2, rejected: 1 });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        type: 'error_message',
        code: 'VALUE_REQUIRED',
        batch_id: 'b1',
        file: 'customers.csv',
        line: 3,
        column: 'customer_reference',
        value: 'BAD',
      }),
    ]);
    expect(sink.messages[0]).toMatchObject({ batchId: 'b1', type: 'error_message' });
  });

  it('rejects a file with a missing column as a whole and leaves the manifest untouched', async () => {
    const { source, store, sink, dependencies } = setUp();
    const outcome = await ingestFile(
      source.put('incoming/b1/orders.csv', 'order_reference,customer_reference\nO1,C1\n'),
      dependencies,
      settings,
    );
    expect(outcome).toMatchObject({
      status: 'rejected-file',
      batchId: 'b1',
      kind: 'orders',
      code: 'FILE_MISSING_COLUMNS',
    });
    expect(await store.readManifest('b1')).toBeUndefined();
    expect(sink.bodies()).toEqual([
      expect.objectContaining({ code: 'FILE_MISSING_COLUMNS', file: 'orders.csv' }),
    ]);
  });

  it('rejects an object over the size limit without reading it', async () => {
    const { source, sink, dependencies } = setUp();
    const location = source.put('incoming/b1/items.csv', ITEMS);
    const outcome = await ingestFile({ ...location, eTag: 'not-stored' }, dependencies, {
      ...settings,
      maxObjectBytes: 10,
    });
    expect(outcome).toMatchObject({ status: 'rejected-file', code: 'FILE_TOO_LARGE' });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        code: 'FILE_TOO_LARGE',
        file: 'items.csv',
        value: String(location.size),
      }),
    ]);
  });

  it('reports a key that is not a batch file, naming the folder as the batch', async () => {
    const { source, sink, dependencies } = setUp();
    const outcome = await ingestFile(
      source.put('incoming/b1/notes.txt', 'hello'),
      dependencies,
      settings,
    );
    expect(outcome).toEqual({ status: 'rejected-key', key: 'incoming/b1/notes.txt' });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({ type: 'error_message', code: 'KEY_INVALID', batch_id: 'b1' }),
    ]);
  });

  it('ignores an older upload of a key delivered after a newer one', async () => {
    const { source, store, dependencies } = setUp();
    const newer = source.put('incoming/b1/customers.csv', CUSTOMERS, '0B');
    const older = source.put(
      'incoming/b1/customers.csv',
      'customer_reference,first_name,last_name,status\nOLD,a,b,c\n',
      '0A',
    );
    await ingestFile(newer, dependencies, settings);
    const outcome = await ingestFile(older, dependencies, settings);
    expect(outcome.status).toBe('superseded');
    expect((await store.readManifest('b1'))?.files.customers?.sequencer).toBe('0B');
  });

  it('re-opens an aggregated batch when a file is uploaded again', async () => {
    const { source, store, aggregation, dependencies } = setUp();
    await ingestFile(source.put('incoming/b1/customers.csv', CUSTOMERS), dependencies, settings);
    await ingestFile(source.put('incoming/b1/orders.csv', ORDERS), dependencies, settings);
    await ingestFile(source.put('incoming/b1/items.csv', ITEMS), dependencies, settings);
    const [first] = aggregation.requests;
    await store.markAggregated(
      'b1',
      [
        first?.files.customers.version,
        first?.files.orders.version,
        first?.files.items.version,
      ].join('|'),
    );
    await ingestFile(source.put('incoming/b1/items.csv', ITEMS, '0B'), dependencies, settings);
    expect(aggregation.requests).toHaveLength(2);
    expect(aggregation.requests[1]?.files.items.version).not.toBe(first?.files.items.version);
  });

  it('skips an upload that was overwritten before it was read', async () => {
    const { source, sink, dependencies } = setUp();
    const location = source.put('incoming/b1/items.csv', ITEMS);
    const outcome = await ingestFile({ ...location, eTag: 'overwritten' }, dependencies, settings);
    expect(outcome).toEqual({ status: 'unavailable', batchId: 'b1', kind: 'items' });
    expect(sink.messages).toEqual([]);
  });
});

describe('ingestFile near the invocation time limit', () => {
  it('rejects the file with FILE_TIME_LIMIT instead of timing out, and commits nothing', async () => {
    const { source, store, sink, dependencies } = setUp();
    const rows = Array.from({ length: 200 }, (_, n) => `C${n},First,Last,active`).join('\n');
    const location = source.put(
      'incoming/b1/customers.csv',
      `customer_reference,first_name,last_name,status\n${rows}\n`,
    );
    let remaining = 40_000;
    // Each batch of records read costs 2 s of the invocation's time.
    const remainingTimeMs = () => (remaining -= 2_000);

    const outcome = await ingestFile(location, dependencies, settings, { remainingTimeMs });

    expect(outcome).toMatchObject({
      status: 'rejected-file',
      batchId: 'b1',
      kind: 'customers',
      code: 'FILE_TIME_LIMIT',
    });
    expect(await store.readManifest('b1')).toBeUndefined();
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        type: 'error_message',
        code: 'FILE_TIME_LIMIT',
        file: 'customers.csv',
        value: String(location.size),
      }),
    ]);
    expect((sink.bodies()[0] as { message: string }).message).toMatch(
      /^customers\.csv could not be read within the ingest function's time limit \(stopped after about \d+ rows of a \d+-byte file\); the file is rejected as a whole$/,
    );
  });

  it('ingests normally while enough time remains', async () => {
    const { source, dependencies } = setUp();
    const outcome = await ingestFile(
      source.put('incoming/b1/customers.csv', CUSTOMERS),
      dependencies,
      settings,
      {
        remainingTimeMs: () => 600_000,
      },
    );
    expect(outcome).toMatchObject({ status: 'staged', accepted: 2 });
  });
});

describe('ingestFile when staging fails', () => {
  it('closes the object stream and rethrows, so the record is retried', async () => {
    const { source, dependencies } = setUp();
    let closed = false;
    const tracked = {
      async *open(location: Parameters<typeof source.open>[0]) {
        try {
          yield* source.open(location);
        } finally {
          closed = true;
        }
      },
    };
    const failingStore = Object.assign(
      Object.create(Object.getPrototypeOf(dependencies.store)),
      dependencies.store,
      {
        putChunks: async () => {
          throw new Error('injected write failure');
        },
      },
    );
    const rows = Array.from({ length: 400 }, (_, n) => `C${n},First,Last,active`).join('\n');
    const location = source.put(
      'incoming/b1/customers.csv',
      `customer_reference,first_name,last_name,status\n${rows}\n`,
    );

    await expect(
      ingestFile(
        location,
        { ...dependencies, source: tracked, store: failingStore },
        { ...settings, maxChunkBytes: 40 },
      ),
    ).rejects.toThrow('injected write failure');
    expect(closed).toBe(true);
  });
});
