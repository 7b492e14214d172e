import { createHash } from 'node:crypto';
import { referenceHash, slotOf } from '../partitioning/referenceHash';
import type { IngestContinuationMessage } from '../ports/IngestContinuations';
import { ObjectUnavailableError } from '../ports/ObjectSource';
import type { ObjectLocation } from '../ports/ObjectSource';
import { bucketChunksOf } from '../staging/stagedBuckets';
import { decodeStagedRows } from '../staging/stagedRowCodec';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingIngestContinuations,
  RecordingMessageSink,
  markedRowValidators,
  structuralManifestValidator,
} from '../testing';
import { largestBatchState } from '../testing/largestBatchState';
import { MAX_KEYS_PER_BATCH } from '../lifecycle/commitUpload';
import { ingestFile } from './ingestFile';
import type { RowError } from '../errors/RowError';
import type { IngestOutcome, IngestSettings } from './ingestFile';

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

describe('ingestFile of a file read in segments', () => {
  /** A customers file of `rows` rows, one in five rejected (`BAD`). */
  const customersOf = (rows: number) =>
    `customer_reference,first_name,last_name,status\n${Array.from(
      { length: rows },
      (_, n) => `C${n},${n % 5 === 4 ? 'BAD' : 'First'},Last,active\n`,
    ).join('')}`;
  const segmented: IngestSettings = { ...settings, maxLineBytes: 64, segmentBytes: 200 };
  /** Lambda's remaining time: 60 s, falling by 5 s at every look (a segment takes two). */
  const countdown = () => {
    let remaining = 60_000;
    return () => (remaining -= 5_000);
  };
  const locationOf = (message: IngestContinuationMessage): ObjectLocation => ({
    bucket: message.bucket,
    key: message.key,
    size: message.size,
    eTag: message.e_tag,
    sequencer: message.sequencer,
    ...(message.version_id !== undefined && { versionId: message.version_id }),
  });

  it('hands the rest to continuations while time runs short, and commits the file once read', async () => {
    const { source, store, sink, aggregation, clock, dependencies } = setUp();
    const continuations = new RecordingIngestContinuations();
    const content = customersOf(100);
    const first = source.put('incoming/b1/customers.csv', content);
    const outcomes: IngestOutcome[] = [];
    let location = first;
    let segment = 0;
    for (
      let invocation = 1;
      outcomes.at(-1)?.status !== 'staged' && invocation <= 10;
      invocation++
    ) {
      outcomes.push(
        await ingestFile(location, { ...dependencies, continuations }, segmented, {
          remainingTimeMs: countdown(),
          requestId: `message-${invocation}`,
          segment,
          now: clock.now,
        }),
      );
      const message = continuations.messages.at(-1);
      if (message !== undefined) [location, segment] = [locationOf(message), message.segment];
    }

    // 2,197 bytes in segments of 200 bytes and the rest of a record: 4, 4 and 3 per invocation.
    expect(outcomes).toEqual([
      { status: 'continued', batchId: 'b1', kind: 'customers', segment: 4, rowsRead: 38 },
      { status: 'continued', batchId: 'b1', kind: 'customers', segment: 8, rowsRead: 78 },
      {
        status: 'staged',
        batchId: 'b1',
        kind: 'customers',
        rowsRead: 100,
        accepted: 80,
        rejected: 20,
      },
    ]);
    expect(continuations.messages).toEqual([
      {
        type: 'ingest_continuation',
        bucket: 'input',
        key: 'incoming/b1/customers.csv',
        size: 2_197,
        e_tag: 'etag-1',
        sequencer: '0A',
        segment: 4,
      },
      expect.objectContaining({ segment: 8 }),
    ]);
    const [record] = store.stateOf('b1')?.files ?? [];
    expect(record).toMatchObject({
      status: 'staged',
      rowsRead: 100,
      rowCount: 80,
      sha256: createHash('sha256').update(content).digest('hex'),
      expiresAt: clock.now() + 7 * DAY_MS,
    });
    expect(record).not.toHaveProperty('buckets');
    // Row errors are sent segment by segment, capped across them (at 100, so all 20).
    expect(sink.bodies().map((body) => (body as { line: number }).line)).toEqual(
      Array.from({ length: 20 }, (_, n) => n * 5 + 6),
    );
    expect(aggregation.requests).toEqual([]);
  });

  it('acknowledges a continuation whose segment was read already, and stages nothing twice', async () => {
    const { source, store, sink, clock, dependencies } = setUp();
    const continuations = new RecordingIngestContinuations();
    const location = source.put('incoming/b1/customers.csv', customersOf(100));
    const options = { remainingTimeMs: countdown(), requestId: 'message-1', now: clock.now };
    await ingestFile(location, { ...dependencies, continuations }, segmented, options);
    const puts = store.calls.putChunks;
    const messages = sink.messages.length;

    const again = await ingestFile(location, { ...dependencies, continuations }, segmented, {
      ...options,
      remainingTimeMs: countdown(),
      requestId: 'message-1-again',
    });

    expect(again).toEqual({ status: 'duplicate', batchId: 'b1', kind: 'customers', segment: 4 });
    expect([store.calls.putChunks, sink.messages.length]).toEqual([puts, messages]);
    expect(continuations.messages).toHaveLength(1);
  });

  it('rejects the file when a later segment holds a line too long, after the row errors before it', async () => {
    const { source, store, sink, clock, dependencies } = setUp();
    const content = `${customersOf(20)}C20,${'x'.repeat(80)},Last,active\n`;
    const outcome = await ingestFile(
      source.put('incoming/b1/customers.csv', content),
      dependencies,
      segmented,
      { now: clock.now },
    );
    expect(outcome).toEqual({
      status: 'rejected-file',
      batchId: 'b1',
      kind: 'customers',
      code: 'LINE_TOO_LONG',
      rowsRead: 20,
    });
    // The third segment (from line 19) is not reported: its rows count for nothing either.
    expect(sink.bodies().map((body) => [(body as RowError).code, (body as RowError).line])).toEqual(
      [
        ['VALUE_REQUIRED', 6],
        ['VALUE_REQUIRED', 11],
        ['VALUE_REQUIRED', 16],
        ['LINE_TOO_LONG', 22],
      ],
    );
    expect(store.stateOf('b1')?.files).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'LINE_TOO_LONG' }),
    ]);
  });

  it('needs a continuations port to keep to a deadline', async () => {
    const { source, dependencies, clock } = setUp();
    await expect(
      ingestFile(source.put('incoming/b1/customers.csv', CUSTOMERS), dependencies, settings, {
        remainingTimeMs: () => 600_000,
        now: clock.now,
      }),
    ).rejects.toThrow('a deadline (remainingTimeMs) needs dependencies.continuations');
  });
});

describe('ingestFile of a file over 8 MiB', () => {
  /** 50,000 orders of 1,000 customers, with long notes: 9.1 MB, so 2 buckets. */
  const ORDERS_9MB = `order_reference,customer_reference,order_status,order_timestamp,notes\n${Array.from(
    { length: 50_000 },
    (_, n) => `O${n},C${n % 1000},shipped,1700000000,${'n'.repeat(150)}\n`,
  ).join('')}`;

  const ingestOrders = async (segmentBytes: number) => {
    const { store, clock, dependencies } = setUp(300_000);
    const source = new InMemoryObjectSource(65_536);
    const location = source.put('incoming/b1/orders.csv', ORDERS_9MB);
    await ingestFile(
      location,
      { ...dependencies, source },
      { ...settings, maxObjectBytes: 50 * 2 ** 30, segmentBytes },
      { now: clock.now },
    );
    const record = store.stateOf('b1')?.files[0];
    if (record?.status !== 'staged') throw new Error('not staged');
    const counts = await bucketChunksOf(store, 'b1', record);
    const buckets = [];
    for (const [bucket, chunks] of counts.entries()) {
      const rows = [];
      for await (const text of store.readChunks('b1', { ...record, bucket, chunks }))
        rows.push(...decodeStagedRows('orders', text));
      buckets.push(rows);
    }
    return { record, counts, buckets, segments: source.opened.length };
  };

  it('spreads rows over buckets by order reference, in line order, the same in one segment or five', async () => {
    const whole = await ingestOrders(64 * 2 ** 20);
    const inSegments = await ingestOrders(2_000_001);

    expect(whole.segments).toBe(1);
    expect(inSegments.segments).toBe(5);
    const { chunks, ...rest } = whole.record;
    expect(inSegments.record).toEqual({ ...rest, chunks: inSegments.record.chunks });
    expect(whole.record).toMatchObject({ buckets: 2, rowsRead: 50_000, rowCount: 50_000 });
    for (const staged of [whole, inSegments]) {
      expect(staged.counts.reduce((sum, count) => sum + count, 0)).toBe(staged.record.chunks);
    }
    expect(chunks).toBeLessThan(inSegments.record.chunks);
    // As text: a deep comparison of 50,000 rows takes seconds.
    expect(JSON.stringify(inSegments.buckets)).toBe(JSON.stringify(whole.buckets));
    expect(whole.buckets.map((rows) => rows.length).reduce((sum, n) => sum + n, 0)).toBe(50_000);
    for (const [bucket, rows] of whole.buckets.entries()) {
      expect(rows.every((row) => slotOf(referenceHash(row.orderReference), 2) === bucket)).toBe(
        true,
      );
      expect(
        rows.every((row, index) => index === 0 || row.line > (rows[index - 1]?.line ?? 0)),
      ).toBe(true);
    }
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
