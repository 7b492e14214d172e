import { createHash } from 'node:crypto';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
  structuralManifestValidator,
} from '../testing';
import { largestBatchState } from '../testing/largestBatchState';
import { MAX_KEYS_PER_BATCH } from '../lifecycle/commitUpload';
import { ingestFile } from './ingestFile';
import type { IngestSettings } from './ingestFile';

const DAY_MS = 24 * 60 * 60 * 1000;

const settings: IngestSettings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 10_000,
  maxRowErrors: 100,
  stagedRowsTtlMs: 7 * DAY_MS,
};

const CUSTOMERS =
  'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,active\n';
const ORDERS =
  'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,shipped,1700000000\n';
const ITEMS = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\nO1,ink,2,0.20\n';

const setUp = (maxChunkBytes = 64) => {
  let nowMs = Date.UTC(2026, 11, 1);
  const clock = { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore({ maxChunkBytes, now: clock.now });
  const sink = new RecordingMessageSink();
  const aggregation = new RecordingAggregationRequests();
  const dependencies = {
    source,
    store,
    sink,
    aggregation,
    validators: markedRowValidators(),
    manifestValidator: structuralManifestValidator,
  };
  const ingest = (location: Parameters<typeof ingestFile>[0]) =>
    ingestFile(location, dependencies, settings, { now: clock.now });
  const stageBatch = async () => {
    for (const [name, content] of [
      ['customers.csv', CUSTOMERS],
      ['orders.csv', ORDERS],
      ['items.csv', ITEMS],
    ] as const) {
      await ingest(source.put(`incoming/b1/${name}`, content));
    }
  };
  return { clock, source, store, sink, aggregation, dependencies, ingest, stageBatch };
};

describe('ingestFile', () => {
  it('stages a valid file and records it in the batch state', async () => {
    const { source, store, sink, clock, ingest } = setUp();
    const outcome = await ingest(source.put('incoming/b1/customers.csv', CUSTOMERS, '0A'));
    expect(outcome).toEqual({
      status: 'staged',
      batchId: 'b1',
      kind: 'customers',
      rowsRead: 2,
      accepted: 2,
      rejected: 0,
    });
    expect(store.stateOf('b1')?.files).toEqual([
      {
        status: 'staged',
        key: 'incoming/b1/customers.csv',
        kind: 'customers',
        file: 'customers.csv',
        order: 0,
        version: '0A-etag-1',
        sequencer: '0A',
        chunks: 1,
        rowsRead: 2,
        rowCount: 2,
        sha256: createHash('sha256').update(CUSTOMERS).digest('hex'),
        expiresAt: clock.now() + 7 * DAY_MS,
      },
    ]);
    expect(sink.messages).toEqual([]);
  });

  it('packs rows into several chunks when they exceed the store’s chunk size', async () => {
    const { source, store, ingest } = setUp();
    const rows = Array.from({ length: 40 }, (_, n) => `C${n},First${n},Last${n},active`).join('\n');
    await ingest(
      source.put(
        'incoming/b1/customers.csv',
        `customer_reference,first_name,last_name,status\n${rows}\n`,
      ),
    );
    const [record] = store.stateOf('b1')?.files ?? [];
    expect(record?.status === 'staged' && record.chunks).toBeGreaterThan(1);
    expect(store.chunks.size).toBe(record?.status === 'staged' ? record.chunks : -1);
    const total = [...store.chunks.values()].reduce((sum, chunk) => sum + chunk.rowCount, 0);
    expect(total).toBe(40);
    for (const chunk of store.chunks.values()) expect(chunk.rows.length).toBeLessThanOrEqual(64);
  });

  it('allocates revision 1 and asks for its aggregation exactly once, when the third kind arrives', async () => {
    const { source, aggregation, store, ingest } = setUp();
    const outcomes = [];
    for (const [name, content] of [
      ['customers.csv', CUSTOMERS],
      ['orders.csv', ORDERS],
      ['items.csv', ITEMS],
    ] as const) {
      outcomes.push(await ingest(source.put(`incoming/b1/${name}`, content)));
    }
    expect(
      outcomes.map((outcome) => 'requestedRevision' in outcome && outcome.requestedRevision),
    ).toEqual([false, false, 1]);
    expect(aggregation.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
    expect(store.stateOf('b1')?.revision?.files.map((file) => file.file)).toEqual([
      'customers.csv',
      'orders.csv',
      'items.csv',
    ]);
  });

  it('stages nothing twice when an event is delivered again; only the requester re-sends "batch ready"', async () => {
    const { source, store, aggregation, ingest } = setUp();
    const customers = source.put('incoming/b1/customers.csv', CUSTOMERS);
    await ingest(customers);
    await ingest(source.put('incoming/b1/orders.csv', ORDERS));
    const items = source.put('incoming/b1/items.csv', ITEMS);
    await ingest(items);
    const putsBefore = store.calls.putChunks;

    const againItems = await ingest(items);
    const againCustomers = await ingest(customers);

    expect(againItems).toEqual({
      status: 'already-staged',
      batchId: 'b1',
      kind: 'items',
      rowsRead: 2,
      accepted: 2,
      rejected: 0,
      requestedRevision: 1,
    });
    expect(againCustomers).not.toHaveProperty('requestedRevision');
    expect(store.calls.putChunks).toBe(putsBefore);
    expect(aggregation.requests).toEqual([
      { type: 'batch_ready', batch_id: 'b1', revision: 1 },
      { type: 'batch_ready', batch_id: 'b1', revision: 1 },
    ]);
  });

  it('re-sends "batch ready" on the retry of the upload whose first send failed', async () => {
    const { source, aggregation, ingest } = setUp();
    await ingest(source.put('incoming/b1/customers.csv', CUSTOMERS));
    await ingest(source.put('incoming/b1/orders.csv', ORDERS));
    const items = source.put('incoming/b1/items.csv', ITEMS);
    aggregation.failNextRequests = 1;
    await expect(ingest(items)).rejects.toThrow('injected aggregation request failure');
    expect(await ingest(items)).toMatchObject({ status: 'already-staged', requestedRevision: 1 });
    expect(aggregation.requests).toHaveLength(1);
  });

  it('lets exactly one of three files committed at once allocate the revision and send "batch ready"', async () => {
    const { source, aggregation, store, ingest } = setUp();
    await Promise.all([
      ingest(source.put('incoming/b1/customers.csv', CUSTOMERS)),
      ingest(source.put('incoming/b1/orders.csv', ORDERS)),
      ingest(source.put('incoming/b1/items.csv', ITEMS)),
    ]);
    expect(aggregation.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
    expect(store.stateOf('b1')?.revision?.number).toBe(1);
  });

  it('reports rejected rows with their line, scoped to the upload, and stages the others', async () => {
    const { source, sink, ingest } = setUp();
    const location = source.put(
      'incoming/b1/customers.csv',
      'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nBAD,x,y,z\nC3,A,B,C\n',
      '0A',
    );
    const outcome = await ingest(location);
    expect(outcome).toMatchObject({ status: 'staged', accepted: 2, rejected: 1 });
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message: 'customers.csv line 3: customer_reference "BAD" is marked bad',
        code: 'VALUE_REQUIRED',
        batch_id: 'b1',
        file: 'customers.csv',
        line: 3,
        column: 'customer_reference',
        value: 'BAD',
      },
    ]);
    expect(sink.messages[0]).toMatchObject({
      batchId: 'b1',
      type: 'error_message',
      objectKey: 'incoming/b1/customers.csv',
      objectVersion: '0A-etag-1',
    });
    expect(sink.messages[0]).not.toHaveProperty('revision');
  });

  it('gives the same row error of a later upload of the key a new message id', async () => {
    const { source, sink, ingest } = setUp();
    const content = 'customer_reference,first_name,last_name,status\nBAD,x,y,z\n';
    await ingest(source.put('incoming/b1/customers.csv', content, '0A'));
    await ingest(source.put('incoming/b1/customers.csv', content, '0B'));
    expect(sink.messages.map((message) => message.body)).toEqual([
      sink.messages[0]?.body,
      sink.messages[0]?.body,
    ]);
    expect(new Set(sink.messages.map((message) => message.id)).size).toBe(2);
  });

  it('rejects a file with a missing column as a whole: one message, and the batch waits for that key', async () => {
    const { source, store, sink, aggregation, ingest, stageBatch } = setUp();
    await stageBatch();
    const outcome = await ingest(
      source.put('incoming/b1/orders.csv', 'order_reference,customer_reference\nO1,C1\n', '0B'),
    );
    expect(outcome).toMatchObject({
      status: 'rejected-file',
      batchId: 'b1',
      kind: 'orders',
      code: 'FILE_MISSING_COLUMNS',
    });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({ code: 'FILE_MISSING_COLUMNS', file: 'orders.csv' }),
    ]);
    expect(store.stateOf('b1')?.files.find((file) => file.kind === 'orders')).toMatchObject({
      status: 'rejected',
      code: 'FILE_MISSING_COLUMNS',
      sequencer: '0B',
    });
    expect(store.stateOf('b1')?.revision?.number).toBe(1);
    expect(aggregation.requests).toHaveLength(1);
  });

  it('rejects an object over the size limit without reading it', async () => {
    const { source, sink, dependencies, clock } = setUp();
    const location = source.put('incoming/b1/items.csv', ITEMS);
    const outcome = await ingestFile(
      { ...location, eTag: 'not-stored' },
      dependencies,
      { ...settings, maxObjectBytes: 10 },
      { now: clock.now },
    );
    expect(outcome).toMatchObject({ status: 'rejected-file', code: 'FILE_TOO_LARGE' });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        code: 'FILE_TOO_LARGE',
        file: 'items.csv',
        value: String(location.size),
      }),
    ]);
  });

  it('refuses a new key of a batch holding the most keys, unread and unrecorded, and still takes a known key', async () => {
    const { source, store, sink, clock, ingest } = setUp();
    const full = largestBatchState('b1', clock.now());
    await store.writeBatchState(full, undefined);
    const newKey = `incoming/${full.batchId}/items-new.csv`;
    const outcome = await ingest(source.put(newKey, ITEMS));
    expect(outcome).toEqual({
      status: 'rejected-file',
      batchId: full.batchId,
      kind: 'items',
      code: 'BATCH_TOO_MANY_FILES',
      rowsRead: 0,
    });
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message: `items-new.csv: the batch already records ${MAX_KEYS_PER_BATCH} object keys, the most one batch keeps, so this new file is neither read nor counted; upload again one of the files it has, or start a new batch`,
        code: 'BATCH_TOO_MANY_FILES',
        batch_id: full.batchId,
        file: 'items-new.csv',
      },
    ]);
    expect(store.stateOf(full.batchId)).toEqual(full);
    expect(store.calls.putChunks).toBe(0);

    const known = full.files.at(-1)!;
    expect(await ingest(source.put(known.key, ITEMS, 'FF'.repeat(13)))).toMatchObject({
      status: 'staged',
    });
    expect(store.stateOf(full.batchId)?.files.at(-1)).toMatchObject({
      key: known.key,
      rowCount: 2,
    });
  });

  it('reports a key that is not a batch file, naming the folder as the batch', async () => {
    const { source, sink, ingest } = setUp();
    const outcome = await ingest(source.put('incoming/b1/notes.txt', 'hello'));
    expect(outcome).toEqual({ status: 'rejected-key', key: 'incoming/b1/notes.txt' });
    expect(sink.bodies()).toEqual([
      expect.objectContaining({ type: 'error_message', code: 'KEY_INVALID', batch_id: 'b1' }),
    ]);
  });

  it('never makes an older upload of a key current again, even after the newer one was rejected', async () => {
    const { source, store, ingest } = setUp();
    const older = source.put('incoming/b1/customers.csv', CUSTOMERS, '0A');
    const newer = source.put('incoming/b1/customers.csv', 'no header we know\nx\n', '0B');
    await ingest(older);
    await ingest(newer);
    expect(await ingest(older)).toEqual({ status: 'stale', batchId: 'b1', kind: 'customers' });
    expect(store.stateOf('b1')?.files).toEqual([
      expect.objectContaining({ status: 'rejected', sequencer: '0B' }),
    ]);
  });

  it('allocates the next revision when a file of an aggregated batch is uploaded again', async () => {
    const { source, aggregation, ingest, stageBatch } = setUp();
    await stageBatch();
    await ingest(source.put('incoming/b1/items.csv', ITEMS, '0B'));
    expect(aggregation.requests.map((request) => request.revision)).toEqual([1, 2]);
  });

  it('allocates a new revision for every upload in a revert (v1, v2, v1 again)', async () => {
    const { source, store, aggregation, ingest, stageBatch } = setUp();
    await stageBatch();
    const v2 = 'order_reference,item_name,quantity,total_price\nO1,pen,1,5\n';
    await ingest(source.put('incoming/b1/items.csv', v2, '0B'));
    await ingest(source.put('incoming/b1/items.csv', ITEMS, '0C'));
    expect(aggregation.requests.map((request) => request.revision)).toEqual([1, 2, 3]);
    const revision = store.stateOf('b1')?.revision;
    expect(revision?.files.find((file) => file.kind === 'items')?.version).toBe('0C-etag-5');
  });

  it('skips an upload overwritten before it was read, and reports one that was deleted', async () => {
    const { source, sink, ingest } = setUp();
    const location = source.put('incoming/b1/items.csv', ITEMS);
    source.delete(location);
    expect(await ingest(location)).toEqual({ status: 'unavailable', batchId: 'b1', kind: 'items' });
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message:
          'items.csv: the upload with eTag etag-1 was deleted before it could be read, so nothing of it was staged; upload the file again if it belongs to the batch',
        code: 'OBJECT_DELETED',
        batch_id: 'b1',
        file: 'items.csv',
      },
    ]);
    const overwritten = {
      open: async function* () {
        yield* [];
        throw new ObjectUnavailableError('overwritten', 'a newer upload replaced it');
      },
    };
    const { dependencies, clock } = setUp();
    const outcome = await ingestFile(location, { ...dependencies, source: overwritten }, settings, {
      now: clock.now,
    });
    expect(outcome).toEqual({ status: 'unavailable', batchId: 'b1', kind: 'items' });
    expect(dependencies.sink.messages).toEqual([]);
  });
});

describe('ingestFile without a batch manifest', () => {
  it('rejects a second, differently named file of a kind with a message saying how to replace it or send parts', async () => {
    const { source, sink, store, aggregation, ingest, stageBatch } = setUp();
    await stageBatch();
    const outcome = await ingest(
      source.put(
        'incoming/b1/items-2.csv',
        'order_reference,item_name,quantity,total_price\nO1,x,1,100\n',
      ),
    );
    expect(outcome).toMatchObject({ status: 'staged', kind: 'items' });
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message:
          'items-2.csv: the batch already has an items file, items.csv, and a batch without _manifest.json has one file per kind, so items-2.csv is not used; to replace items.csv, upload the new file under the name items.csv; to send items in several parts, upload a _manifest.json that lists every part',
        code: 'SECOND_FILE_OF_KIND',
        batch_id: 'b1',
        file: 'items-2.csv',
      },
    ]);
    expect(aggregation.requests).toHaveLength(1);
    expect(store.stateOf('b1')?.revision?.number).toBe(1);
  });
});

describe('ingestFile and staged rows that expire', () => {
  it('names the files to upload again instead of allocating a revision that needs expired rows', async () => {
    const { source, sink, store, aggregation, clock, ingest } = setUp();
    await ingest(source.put('incoming/b1/customers.csv', CUSTOMERS));
    await ingest(source.put('incoming/b1/orders.csv', ORDERS));
    clock.advance(8 * DAY_MS);
    await ingest(source.put('incoming/b1/items.csv', ITEMS));
    expect(aggregation.requests).toEqual([]);
    expect(store.stateOf('b1')?.revision).toBeUndefined();
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message:
          'the staged rows of customers.csv and orders.csv expired (or expire within the hour) before the batch could be aggregated with them; upload them again',
        code: 'STAGED_FILES_EXPIRED',
        batch_id: 'b1',
        file: 'customers.csv',
        value: 'customers.csv, orders.csv',
      },
    ]);
    await ingest(source.put('incoming/b1/customers.csv', CUSTOMERS, '0B'));
    await ingest(source.put('incoming/b1/orders.csv', ORDERS, '0B'));
    expect(aggregation.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
  });
});

describe('ingestFile near the invocation time limit', () => {
  it('rejects the file with FILE_TIME_LIMIT instead of timing out', async () => {
    const { source, store, sink, dependencies, clock } = setUp();
    const rows = Array.from({ length: 200 }, (_, n) => `C${n},First,Last,active`).join('\n');
    const location = source.put(
      'incoming/b1/customers.csv',
      `customer_reference,first_name,last_name,status\n${rows}\n`,
    );
    let remaining = 40_000;
    // Each batch of records read costs 2 s of the invocation's time.
    const remainingTimeMs = () => (remaining -= 2_000);

    const outcome = await ingestFile(location, dependencies, settings, {
      remainingTimeMs,
      now: clock.now,
    });

    expect(outcome).toMatchObject({
      status: 'rejected-file',
      batchId: 'b1',
      kind: 'customers',
      code: 'FILE_TIME_LIMIT',
    });
    expect(store.stateOf('b1')?.files).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'FILE_TIME_LIMIT' }),
    ]);
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
    const { source, dependencies, clock } = setUp();
    const outcome = await ingestFile(
      source.put('incoming/b1/customers.csv', CUSTOMERS),
      dependencies,
      settings,
      { remainingTimeMs: () => 600_000, now: clock.now },
    );
    expect(outcome).toMatchObject({ status: 'staged', accepted: 2 });
  });
});

describe('ingestFile when staging fails', () => {
  it('closes the object stream and rethrows, so the record is retried', async () => {
    const { source, dependencies, clock } = setUp(40);
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
      Object.create(Object.getPrototypeOf(dependencies.store) as object) as object,
      dependencies.store,
      {
        putChunks: async () => {
          throw new Error('injected write failure');
        },
      },
    ) as typeof dependencies.store;
    const rows = Array.from({ length: 400 }, (_, n) => `C${n},First,Last,active`).join('\n');
    const location = source.put(
      'incoming/b1/customers.csv',
      `customer_reference,first_name,last_name,status\n${rows}\n`,
    );

    await expect(
      ingestFile(location, { ...dependencies, source: tracked, store: failingStore }, settings, {
        now: clock.now,
      }),
    ).rejects.toThrow('injected write failure');
    expect(closed).toBe(true);
  });
});
