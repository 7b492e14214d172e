import { createHash } from 'node:crypto';
import {
  InMemoryObjectSource,
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
  markedRowValidators,
  structuralManifestValidator,
} from '../testing';
import { batchManifestIdOf } from './ingestBatchManifest';
import { ingestFile } from './ingestFile';

const settings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 10_000,
  maxRowErrors: 100,
  stagedRowsTtlMs: 7 * 24 * 60 * 60 * 1000,
};

const CUSTOMERS = 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n';
const ORDERS =
  'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,shipped,1700000000\nO2,C1,new,1700000001\n';
const ITEMS_1 = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\n';
const ITEMS_2 = 'order_reference,item_name,quantity,total_price\nO2,ink,2,0.20\nO2,pad,1,1\n';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const setUp = () => {
  const source = new InMemoryObjectSource();
  const store = new InMemoryStagingStore();
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
  const put = (name: string, content: string, sequencer = '0A') =>
    ingestFile(source.put(`incoming/b1/${name}`, content, sequencer), dependencies, settings);
  const manifest = (files: readonly object[], sequencer = '0A') =>
    put('_manifest.json', JSON.stringify({ files }), sequencer);
  const codes = () => sink.bodies().map((body) => (body as { code: string }).code);
  return { store, sink, aggregation, put, manifest, codes };
};

const PARTS = [
  { name: 'customers.csv' },
  { name: 'orders.csv', rows: 2 },
  { name: 'items-1.csv', rows: 1, sha256: sha256(ITEMS_1).toUpperCase() },
  { name: 'items-2.csv', rows: 2, sha256: sha256(ITEMS_2) },
];

describe('batchManifestIdOf', () => {
  it.each([
    ['incoming/b 1/_manifest.json', 'b 1'],
    ['incoming/b1/_manifest.JSON', undefined],
    ['incoming/_manifest.json', undefined],
    ['incoming/b1/x/_manifest.json', undefined],
    ['other/b1/_manifest.json', undefined],
  ])('%s is the manifest of %p', (key, batchId) => {
    expect(batchManifestIdOf(key, 'incoming/')).toBe(batchId);
  });
});

describe('ingestFile with a batch manifest', () => {
  it('aggregates a batch in parts once every listed part is staged, whatever the order', async () => {
    const { aggregation, store, put, manifest, codes } = setUp();
    await manifest(PARTS);
    await put('items-2.csv', ITEMS_2);
    await put('customers.csv', CUSTOMERS);
    await put('items-1.csv', ITEMS_1);
    expect(aggregation.requests).toEqual([]);
    await put('orders.csv', ORDERS);
    expect(aggregation.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
    expect(store.stateOf('b1')?.revision?.files.map((file) => file.file)).toEqual([
      'customers.csv',
      'orders.csv',
      'items-1.csv',
      'items-2.csv',
    ]);
    expect(codes()).toEqual([]);
  });

  it('counts parts staged before their manifest arrived, after reporting them as second files', async () => {
    const { aggregation, put, manifest, codes } = setUp();
    await put('customers.csv', CUSTOMERS);
    await put('orders.csv', ORDERS);
    await put('items-1.csv', ITEMS_1);
    await put('items-2.csv', ITEMS_2);
    expect(codes()).toEqual(['SECOND_FILE_OF_KIND']);
    expect(aggregation.requests.map((request) => request.revision)).toEqual([1]);
    const outcome = await manifest(PARTS);
    expect(outcome).toEqual({ status: 'manifest-recorded', batchId: 'b1', requestedRevision: 2 });
    expect(codes()).toEqual(['SECOND_FILE_OF_KIND']);
  });

  it('rejects a part whose row count or digest differs, and waits for a matching upload', async () => {
    const { aggregation, sink, put, manifest } = setUp();
    await manifest(PARTS);
    await put('customers.csv', CUSTOMERS);
    await put('orders.csv', ORDERS);
    await put('items-1.csv', ITEMS_1);
    await put('items-2.csv', `${ITEMS_2}O2,tape,1,3\n`);
    await put('items-2.csv', ITEMS_2.replace('pad', 'pod'), '0B');
    expect(aggregation.requests).toEqual([]);
    expect(sink.bodies()).toEqual([
      {
        type: 'error_message',
        message:
          'items-2.csv: _manifest.json says it has 2 rows, but 3 were read; the file is not used until an upload matches _manifest.json',
        code: 'FILE_DOES_NOT_MATCH_MANIFEST',
        batch_id: 'b1',
        file: 'items-2.csv',
      },
      {
        type: 'error_message',
        message: `items-2.csv: _manifest.json gives its SHA-256 as ${sha256(ITEMS_2)}, but the uploaded file's is ${sha256(ITEMS_2.replace('pad', 'pod'))}; the file is not used until an upload matches _manifest.json`,
        code: 'FILE_DOES_NOT_MATCH_MANIFEST',
        batch_id: 'b1',
        file: 'items-2.csv',
      },
    ]);
    await put('items-2.csv', ITEMS_2, '0C');
    expect(aggregation.requests).toEqual([{ type: 'batch_ready', batch_id: 'b1', revision: 1 }]);
  });

  it('ignores and reports a file the manifest does not list', async () => {
    const { aggregation, sink, put, manifest } = setUp();
    await manifest(PARTS.slice(0, 3));
    await put('customers.csv', CUSTOMERS);
    await put('orders.csv', ORDERS);
    await put('items-1.csv', ITEMS_1);
    await put('items-2.csv', ITEMS_2);
    expect(aggregation.requests.map((request) => request.revision)).toEqual([1]);
    expect(sink.bodies()).toEqual([
      expect.objectContaining({
        code: 'FILE_NOT_IN_MANIFEST',
        file: 'items-2.csv',
        message:
          "items-2.csv: the batch's _manifest.json does not list this file, so it is not part of the batch; add it to the manifest and upload the manifest again if it belongs to the batch",
      }),
    ]);
  });

  it.each([
    ['not JSON', '{files:', '_manifest.json: it is not JSON'],
    [
      'a file name of no kind',
      JSON.stringify({ files: [{ name: 'notes.csv' }] }),
      '_manifest.json: "notes.csv" is not a file name of the batch (a name in the batch folder, starting with customers, orders or items and ending in .csv); the batch waits for a valid manifest',
    ],
    [
      'a name twice',
      JSON.stringify({
        files: [
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'items.csv' },
          { name: 'items.csv' },
        ],
      }),
      '_manifest.json: it lists "items.csv" twice; the batch waits for a valid manifest',
    ],
    [
      'a kind missing',
      JSON.stringify({ files: [{ name: 'customers.csv' }, { name: 'items.csv' }] }),
      '_manifest.json: it lists no orders file; the batch waits for a valid manifest',
    ],
    [
      'more than 100 files',
      JSON.stringify({
        files: [
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          ...Array.from({ length: 99 }, (_, n) => ({ name: `items-${n}.csv` })),
        ],
      }),
      '_manifest.json: it lists 101 files; a manifest may list at most 100; the batch waits for a valid manifest',
    ],
    [
      'a name of more than 100 characters',
      JSON.stringify({
        files: [
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: `items${'x'.repeat(92)}.csv` },
        ],
      }),
      '_manifest.json: a file name is 101 characters long; names may have at most 100; the batch waits for a valid manifest',
    ],
    [
      'the wrong shape',
      JSON.stringify({ parts: [] }),
      '_manifest.json: it must be an object with a "files" array; the batch waits for a valid manifest',
    ],
  ])(
    'rejects a manifest with %s, and the batch waits for a valid one',
    async (_name, text, message) => {
      const { aggregation, sink, put } = setUp();
      await put('customers.csv', CUSTOMERS);
      await put('orders.csv', ORDERS);
      await put('items-1.csv', ITEMS_1);
      const outcome = await put('_manifest.json', text, '0B');
      expect(outcome).toEqual({ status: 'manifest-rejected', batchId: 'b1' });
      const [error] = sink.bodies() as { code: string; file: string; message: string }[];
      expect(error).toMatchObject({ code: 'MANIFEST_INVALID', file: '_manifest.json' });
      expect(error?.message.startsWith(message)).toBe(true);
      expect(aggregation.requests.map((request) => request.revision)).toEqual([1]);
    },
  );

  it('ignores an older upload of the manifest delivered after a newer one', async () => {
    const { store, manifest } = setUp();
    await manifest(PARTS, '0B');
    expect(await manifest(PARTS.slice(0, 3), '0A')).toEqual({
      status: 'stale',
      batchId: 'b1',
      kind: 'manifest',
    });
    const plan = store.stateOf('b1')?.plan;
    expect(plan?.status === 'valid' && plan.files.map((file) => file.file)).toEqual([
      'customers.csv',
      'orders.csv',
      'items-1.csv',
      'items-2.csv',
    ]);
  });
});
