import { createHash } from 'node:crypto';
import { RecordingMessageSink } from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import { batchCheckSummary } from './batchCheckSummary';
import { BatchFolderError } from './BatchFolderError';
import { runPipelineInMemory } from './testing/runPipelineInMemory';
import { writeBatchFolder } from './testing/writeBatchFolder';
import { validateBatchFolder } from './validateBatchFolder';
import type { BatchCheckSettings, BatchVerdict } from './validateBatchFolder';

const SETTINGS: BatchCheckSettings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 1_000,
  maxRowErrors: 100,
  stagedRowsTtlMs: 7 * 24 * 60 * 60 * 1000,
};

const HEADER = {
  customers: 'customer_reference,first_name,last_name,status',
  orders: 'order_reference,customer_reference,order_status,order_timestamp',
  items: 'order_reference,item_name,quantity,total_price',
};
const CUSTOMERS = `${HEADER.customers}\nC1,Ada,L,active\nC2,Alan,T,\n`;
const ORDERS = `${HEADER.orders}\nO1,C1,paid,1700000000\nO2,C2,void,1700000001\n`;
const ITEMS = `${HEADER.items}\nO1,pen,1,0.10\nO1,ink,2,0.20\n`;
const CLEAN = { 'customers.csv': CUSTOMERS, 'orders.csv': ORDERS, 'items.csv': ITEMS };

/** Items in two parts: 2 rows, then 1. */
const ITEMS_1 = `${HEADER.items}\nO1,pen,1,0.10\nO2,cup,1,1.00\n`;
const ITEMS_2 = `${HEADER.items}\nO1,ink,2,0.20\n`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const manifest = (...files: readonly object[]) => JSON.stringify({ files });
/** The manifest of the batch in parts: customers, orders, items-1, items-2, with rows and digests. */
const PARTS = {
  'customers.csv': CUSTOMERS,
  'orders.csv': ORDERS,
  'items-1.csv': ITEMS_1,
  'items-2.csv': ITEMS_2,
  '_manifest.json': manifest(
    { name: 'customers.csv' },
    { name: 'orders.csv', rows: 2 },
    { name: 'items-1.csv', rows: 2, sha256: sha256(ITEMS_1) },
    { name: 'items-2.csv', rows: 1, sha256: sha256(ITEMS_2).toUpperCase() },
  ),
};

const validators = createRowValidators();
const manifestValidator = createBatchManifestValidator();

const check = async (files: Record<string, string>, settings = SETTINGS) => {
  const sink = new RecordingMessageSink();
  const result = await validateBatchFolder(
    writeBatchFolder('b1', files),
    { sink, validators, manifestValidator },
    settings,
  );
  return { result, lines: sink.messages.map((message) => message.body) };
};

const sorted = (lines: readonly string[]) => [...lines].sort();

describe('validateBatchFolder', () => {
  // Each case also runs the pipeline's own ingestFile and aggregateBatch on in-memory ports,
  // with the files uploaded in the order validate assumes: both must send the same messages.
  it.each<{
    behaviour: string;
    files: Record<string, string>;
    settings?: BatchCheckSettings;
    verdict: BatchVerdict;
    lines: string[];
  }>([
    {
      behaviour: 'finds nothing to report in a clean batch',
      files: CLEAN,
      verdict: 'clean',
      lines: [],
    },
    {
      behaviour:
        'reports each rejected row, per file in customers, orders, items order, then repeated references',
      files: {
        'items.csv': `${ITEMS}O2,cup,0,1\n`,
        'orders.csv': `${ORDERS}O3,C1,paid,17e8\nO1,C2,paid,1\n`,
        'customers.csv': `${CUSTOMERS}C3,Bob\n`,
      },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"customers.csv line 4: the row has 2 fields but the header has 4","code":"ROW_FIELD_COUNT","batch_id":"b1","file":"customers.csv","line":4}',
        '{"type":"error_message","message":"orders.csv line 4: order_timestamp \\"17e8\\" must be unix seconds (digits only)","code":"VALUE_INVALID_TIMESTAMP","batch_id":"b1","file":"orders.csv","line":4,"column":"order_timestamp","value":"17e8"}',
        '{"type":"error_message","message":"items.csv line 4: quantity \\"0\\" must be an integer >= 1","code":"VALUE_OUT_OF_RANGE","batch_id":"b1","file":"items.csv","line":4,"column":"quantity","value":"0"}',
        '{"type":"error_message","message":"orders.csv line 5: order_reference \\"O1\\" repeats the row on line 2, which wins","code":"DUPLICATE_REFERENCE","batch_id":"b1","file":"orders.csv","line":5,"column":"order_reference","value":"O1"}',
      ],
    },
    {
      behaviour: 'reports orders and items that reference nothing after the row errors',
      files: {
        'customers.csv': CUSTOMERS,
        'orders.csv': `${ORDERS}O9,C9,paid,1700000002\n`,
        'items.csv': `${ITEMS}O8,cup,1,2\nO9,lid,1,3\nO7,cap,x,1\n`,
      },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items.csv line 6: quantity \\"x\\" must be an integer written in digits, such as 3","code":"VALUE_INVALID_INTEGER","batch_id":"b1","file":"items.csv","line":6,"column":"quantity","value":"x"}',
        '{"type":"error_message","message":"orders.csv line 4: customer_reference \\"C9\\" is not an accepted customer of this batch; the order and its items are excluded","code":"ORPHAN_ORDER","batch_id":"b1","file":"orders.csv","line":4,"column":"customer_reference","value":"C9"}',
        '{"type":"error_message","message":"items.csv line 4: order_reference \\"O8\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items.csv","line":4,"column":"order_reference","value":"O8"}',
      ],
    },
    {
      behaviour: 'sends the row errors of the files present when a kind is missing',
      files: { 'customers.csv': CUSTOMERS, 'orders.csv': `${ORDERS}O3,C9,,1\n` },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"orders.csv line 4: order_status \\"\\" is required","code":"VALUE_REQUIRED","batch_id":"b1","file":"orders.csv","line":4,"column":"order_status","value":""}',
      ],
    },
    {
      behaviour: 'rejects a file that lacks a required column with one error',
      files: { ...CLEAN, 'customers.csv': `customer_reference,first_name\nC1,Ada\n` },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"customers.csv line 1: the header lacks the required columns last_name, status","code":"FILE_MISSING_COLUMNS","batch_id":"b1","file":"customers.csv","line":1,"column":"last_name, status"}',
      ],
    },
    {
      behaviour: 'sends only the file error of a file rejected after some bad rows',
      files: { ...CLEAN, 'items.csv': `${ITEMS}O1,cup,0,1\nO9,"lid,1,1\n` },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"items.csv line 5: a quote opened in the record starting on this line is never closed","code":"FILE_MALFORMED_CSV","batch_id":"b1","file":"items.csv","line":5}',
      ],
    },
    {
      behaviour: 'rejects a file over the object size limit without reading it',
      files: { ...CLEAN, 'orders.csv': `${ORDERS}not,even,read\n` },
      settings: { ...SETTINGS, maxObjectBytes: 120 },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"orders.csv is 122 bytes; the limit is 120 bytes","code":"FILE_TOO_LARGE","batch_id":"b1","file":"orders.csv","value":"122"}',
      ],
    },
    {
      behaviour: 'sums up the row errors past the limit in one message',
      files: { ...CLEAN, 'items.csv': `${ITEMS}O1,a,0,1\nO1,b,0,1\nO1,c,0,1\n` },
      settings: { ...SETTINGS, maxRowErrors: 1 },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items.csv line 4: quantity \\"0\\" must be an integer >= 1","code":"VALUE_OUT_OF_RANGE","batch_id":"b1","file":"items.csv","line":4,"column":"quantity","value":"0"}',
        '{"type":"error_message","message":"items.csv: 2 more row errors were not reported, after the first 1","code":"TOO_MANY_ROW_ERRORS","batch_id":"b1","file":"items.csv"}',
      ],
    },
    {
      behaviour: 'reports a .csv file whose name gives no kind as ingest reports its key',
      files: { ...CLEAN, 'customer.csv': CUSTOMERS, 'README.md': '# notes\n' },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"The object key \\"incoming/b1/customer.csv\\" names a file whose name starts with none of customers, orders, items; expected incoming/<batch-id>/<customers|orders|items>*.csv","code":"KEY_INVALID","batch_id":"b1","file":"customer.csv"}',
      ],
    },
    {
      behaviour:
        'takes the kind from the start of the file name in any case, as parseBatchKey does',
      files: {
        'Customers-June.csv': CUSTOMERS,
        'ORDERS.csv': ORDERS,
        'items 2024.csv': `${ITEMS}O9,cup,1,1\n`,
      },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items 2024.csv line 4: order_reference \\"O9\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items 2024.csv","line":4,"column":"order_reference","value":"O9"}',
      ],
    },
    {
      behaviour:
        'reports a second file of a kind without a manifest, with its row errors, and leaves it out of the join',
      files: { ...CLEAN, 'items_late.csv': `${ITEMS}O9,cup,x,1\nO9,lid,1,1\n` },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items_late.csv line 4: quantity \\"x\\" must be an integer written in digits, such as 3","code":"VALUE_INVALID_INTEGER","batch_id":"b1","file":"items_late.csv","line":4,"column":"quantity","value":"x"}',
        '{"type":"error_message","message":"items_late.csv: the batch already has an items file, items.csv, and a batch without _manifest.json has one file per kind, so items_late.csv is not used; to replace items.csv, upload the new file under the name items.csv; to send items in several parts, upload a _manifest.json that lists every part","code":"SECOND_FILE_OF_KIND","batch_id":"b1","file":"items_late.csv"}',
      ],
    },
    {
      behaviour:
        'keeps the first file of a kind in name order even when it is rejected as a whole, so the batch cannot complete',
      files: { ...CLEAN, 'customers-0.csv': `customer_reference\nC1\n` },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"customers-0.csv line 1: the header lacks the required columns first_name, last_name, status","code":"FILE_MISSING_COLUMNS","batch_id":"b1","file":"customers-0.csv","line":1,"column":"first_name, last_name, status"}',
        '{"type":"error_message","message":"customers.csv: the batch already has a customers file, customers-0.csv, and a batch without _manifest.json has one file per kind, so customers.csv is not used; to replace customers-0.csv, upload the new file under the name customers-0.csv; to send customers in several parts, upload a _manifest.json that lists every part","code":"SECOND_FILE_OF_KIND","batch_id":"b1","file":"customers.csv"}',
      ],
    },
    {
      behaviour: 'joins the parts a manifest lists when their rows and digests match',
      files: PARTS,
      verdict: 'clean',
      lines: [],
    },
    {
      behaviour: 'finds a reference repeated across parts of a kind, naming the part that wins',
      files: {
        ...PARTS,
        'orders-2.csv': `${HEADER.orders}\nO2,C1,paid,1\nO3,C1,paid,2\n`,
        '_manifest.json': manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'orders-2.csv' },
          { name: 'items-1.csv' },
          { name: 'items-2.csv' },
        ),
      },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"orders-2.csv line 2: order_reference \\"O2\\" repeats the row on line 3 of orders.csv, which wins","code":"DUPLICATE_REFERENCE","batch_id":"b1","file":"orders-2.csv","line":2,"column":"order_reference","value":"O2"}',
      ],
    },
    {
      behaviour: 'reports a file the manifest does not list, and leaves it out of the join',
      files: { ...PARTS, 'items-3.csv': `${HEADER.items}\nO9,cup,1,1\n` },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items-3.csv: the batch\'s _manifest.json does not list this file, so it is not part of the batch; add it to the manifest and upload the manifest again if it belongs to the batch","code":"FILE_NOT_IN_MANIFEST","batch_id":"b1","file":"items-3.csv"}',
      ],
    },
    {
      behaviour: 'blocks the batch on a part whose row count differs from the manifest',
      files: {
        ...PARTS,
        '_manifest.json': manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv', rows: 3 },
          { name: 'items-1.csv' },
          { name: 'items-2.csv' },
        ),
      },
      verdict: 'incomplete',
      lines: [
        '{"type":"error_message","message":"orders.csv: _manifest.json says it has 3 rows, but 2 were read; the file is not used until an upload matches _manifest.json","code":"FILE_DOES_NOT_MATCH_MANIFEST","batch_id":"b1","file":"orders.csv"}',
      ],
    },
    {
      behaviour: 'blocks the batch on a part whose SHA-256 differs from the manifest',
      files: {
        ...PARTS,
        '_manifest.json': manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'items-1.csv', sha256: sha256(ITEMS_2) },
          { name: 'items-2.csv' },
        ),
      },
      verdict: 'incomplete',
      lines: [
        `{"type":"error_message","message":"items-1.csv: _manifest.json gives its SHA-256 as ${sha256(ITEMS_2)}, but the uploaded file's is ${sha256(ITEMS_1)}; the file is not used until an upload matches _manifest.json","code":"FILE_DOES_NOT_MATCH_MANIFEST","batch_id":"b1","file":"items-1.csv"}`,
      ],
    },
    {
      behaviour: 'waits for a listed file that is not in the folder, with no message',
      files: {
        ...PARTS,
        '_manifest.json': manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'items-1.csv' },
          { name: 'items-2.csv' },
          { name: 'items-3.csv' },
        ),
      },
      verdict: 'incomplete',
      lines: [],
    },
    ...[
      {
        manifest: '{"files": [',
        reason: 'it is not JSON (Unexpected end of JSON input)',
      },
      {
        manifest: '{"files":[]}',
        reason: 'files must list at least 1 file',
      },
      {
        manifest: manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'b/items.csv' },
        ),
        reason:
          '"b/items.csv" is not a file name of the batch (a name in the batch folder, starting with customers, orders or items and ending in .csv)',
      },
      {
        manifest: manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'orders.csv' },
        ),
        reason: 'it lists "orders.csv" twice',
      },
      {
        manifest: manifest({ name: 'customers.csv' }, { name: 'orders.csv' }),
        reason: 'it lists no items file',
      },
      {
        manifest: `${manifest({ name: 'customers.csv' })}${' '.repeat(1024 * 1024)}`,
        reason: 'it is larger than 1048576 bytes',
      },
    ].map(({ manifest: text, reason }) => ({
      behaviour: `rejects a manifest as ingest does: ${reason}`,
      files: { ...PARTS, 'items-1.csv': `${ITEMS_1}O1,cap,0,1\n`, '_manifest.json': text },
      verdict: 'incomplete' as const,
      lines: [
        `{"type":"error_message","message":${JSON.stringify(`_manifest.json: ${reason}; the batch waits for a valid manifest`)},"code":"MANIFEST_INVALID","batch_id":"b1","file":"_manifest.json"}`,
        '{"type":"error_message","message":"items-1.csv line 4: quantity \\"0\\" must be an integer >= 1","code":"VALUE_OUT_OF_RANGE","batch_id":"b1","file":"items-1.csv","line":4,"column":"quantity","value":"0"}',
      ],
    })),
    {
      behaviour:
        'caps referential errors per file, in manifest order of the parts, with one summary per capped file',
      files: {
        ...PARTS,
        'items-1.csv': `${ITEMS_1}O7,a,1,1\nO8,b,1,1\nO9,c,1,1\n`,
        'items-2.csv': `${ITEMS_2}O6,d,1,1\n`,
        '_manifest.json': manifest(
          { name: 'customers.csv' },
          { name: 'orders.csv' },
          { name: 'items-2.csv' },
          { name: 'items-1.csv' },
        ),
      },
      settings: { ...SETTINGS, maxRowErrors: 1 },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"items-2.csv line 3: order_reference \\"O6\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items-2.csv","line":3,"column":"order_reference","value":"O6"}',
        '{"type":"error_message","message":"items-1.csv line 4: order_reference \\"O7\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items-1.csv","line":4,"column":"order_reference","value":"O7"}',
        '{"type":"error_message","message":"items-1.csv: 2 more referential errors were not reported, after the first 1","code":"TOO_MANY_REFERENTIAL_ERRORS","batch_id":"b1","file":"items-1.csv"}',
      ],
    },
  ])('$behaviour', async ({ files, settings = SETTINGS, verdict, lines }) => {
    const { result, lines: sent } = await check(files, settings);
    expect(sent).toEqual(lines);
    expect(result.verdict).toBe(verdict);
    expect(result.errorMessages).toBe(lines.length);
    expect(sorted(sent)).toEqual(sorted(await runPipelineInMemory('b1', files, settings)));
  });

  it('counts rows per file and the customer messages of a clean batch', async () => {
    const { result } = await check(CLEAN);
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'no _manifest.json, so one file per kind: the first in name order',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          2         2         0            0  counted',
        'orders.csv             2         2         0            0  counted',
        'items.csv              2         2         0            0  counted',
        'customer messages: 2 (the pipeline would send them; not printed)',
        'error messages: 0 (on stdout)',
        'result: clean',
        '',
      ].join('\n'),
    );
  });

  it('ignores a .CSV file as the bucket notification would, so its kind counts as missing', async () => {
    const { 'orders.csv': orders, ...rest } = CLEAN;
    const { result } = await check({ ...rest, 'orders.CSV': orders });
    expect(result.verdict).toBe('incomplete');
    expect(result.missing).toEqual(['orders']);
    expect(result.ignored).toEqual(['orders.CSV']);
  });

  it('counts rejected rows, referential errors, and files that are not part of the batch', async () => {
    const { result } = await check({
      ...CLEAN,
      'orders.csv': `${ORDERS}O3,C9,paid,1\nO4,C1,paid,-1\n`,
      'notes.csv': '',
      'README.md': '',
    });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'no _manifest.json, so one file per kind: the first in name order',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          2         2         0            0  counted',
        'orders.csv             4         3         1            1  counted',
        'items.csv              2         2         0            0  counted',
        'not a batch file (KEY_INVALID): notes.csv',
        'ignored (not ending in lower-case .csv, so the bucket would not notify Tally of them): README.md',
        'customer messages: 2 (the pipeline would send them; not printed)',
        'error messages: 3 (on stdout)',
        'result: errors',
        '',
      ].join('\n'),
    );
  });

  it('says why a batch cannot be aggregated', async () => {
    const { result } = await check({
      'orders.csv': 'order_reference\nO1\n',
      'items.csv': `${ITEMS}O1,cup,0,1\n`,
    });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'no _manifest.json, so one file per kind: the first in name order',
        'file            rows read  accepted  rejected  ref. errors  status',
        'customers*.csv          -         -         -            -  missing',
        'orders.csv              0         0         0            -  rejected as a whole (FILE_MISSING_COLUMNS)',
        'items.csv               3         2         1            -  counted',
        'customer messages: none, the batch would not be aggregated',
        'error messages: 2 (on stdout)',
        'result: incomplete, the batch cannot be aggregated (no customers*.csv; orders.csv: its latest upload was rejected (FILE_MISSING_COLUMNS))',
        '',
      ].join('\n'),
    );
  });

  it('shows a second file of a kind as not used', async () => {
    const { result } = await check({ ...CLEAN, 'items_late.csv': ITEMS_2 });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'no _manifest.json, so one file per kind: the first in name order',
        'file            rows read  accepted  rejected  ref. errors  status',
        'customers.csv           2         2         0            0  counted',
        'orders.csv              2         2         0            0  counted',
        'items.csv               2         2         0            0  counted',
        'items_late.csv          1         1         0            -  not used (SECOND_FILE_OF_KIND)',
        'customer messages: 2 (the pipeline would send them; not printed)',
        'error messages: 1 (on stdout)',
        'result: errors',
        '',
      ].join('\n'),
    );
  });

  it('shows the parts a manifest lists in its order, and the files it leaves out', async () => {
    const { result } = await check({
      ...PARTS,
      'items-0.csv': ITEMS_2,
      '_manifest.json': manifest(
        { name: 'items-2.csv' },
        { name: 'items-1.csv' },
        { name: 'orders.csv' },
        { name: 'customers.csv' },
      ),
    });
    expect(result.files.map((file) => [file.file, file.sha256])).toEqual([
      ['customers.csv', sha256(CUSTOMERS)],
      ['orders.csv', sha256(ORDERS)],
      ['items-2.csv', sha256(ITEMS_2)],
      ['items-1.csv', sha256(ITEMS_1)],
      ['items-0.csv', sha256(ITEMS_2)],
    ]);
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        '_manifest.json: valid, so the batch is exactly the files it lists',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          2         2         0            0  counted',
        'orders.csv             2         2         0            0  counted',
        'items-2.csv            1         1         0            0  counted',
        'items-1.csv            2         2         0            0  counted',
        'items-0.csv            1         1         0            -  not used (FILE_NOT_IN_MANIFEST)',
        'customer messages: 2 (the pipeline would send them; not printed)',
        'error messages: 1 (on stdout)',
        'result: errors',
        '',
      ].join('\n'),
    );
  });

  it('names the files that block a batch with a manifest, and the listed files missing', async () => {
    const { result } = await check({
      'customers.csv': CUSTOMERS,
      'orders.csv': ORDERS,
      'items-1.csv': ITEMS_1,
      '_manifest.json': manifest(
        { name: 'customers.csv' },
        { name: 'orders.csv', rows: 5 },
        { name: 'items-1.csv' },
        { name: 'items-2.csv' },
      ),
    });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        '_manifest.json: valid, so the batch is exactly the files it lists',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          2         2         0            -  counted',
        'orders.csv             2         2         0            -  not used (FILE_DOES_NOT_MATCH_MANIFEST)',
        'items-1.csv            2         2         0            -  counted',
        'items-2.csv            -         -         -            -  missing',
        'customer messages: none, the batch would not be aggregated',
        'error messages: 1 (on stdout)',
        'result: incomplete, the batch cannot be aggregated (no items-2.csv; orders.csv: _manifest.json says it has 5 rows, but 2 were read)',
        '',
      ].join('\n'),
    );
  });

  it('says that no file counts while the manifest is invalid', async () => {
    const { result } = await check({ ...CLEAN, '_manifest.json': '{}' });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        '_manifest.json: invalid (MANIFEST_INVALID), so no file counts until a valid one is uploaded',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          2         2         0            -  not used until _manifest.json is valid',
        'orders.csv             2         2         0            -  not used until _manifest.json is valid',
        'items.csv              2         2         0            -  not used until _manifest.json is valid',
        'customer messages: none, the batch would not be aggregated',
        'error messages: 1 (on stdout)',
        'result: incomplete, the batch cannot be aggregated (_manifest.json: it was rejected (MANIFEST_INVALID))',
        '',
      ].join('\n'),
    );
  });

  it('fails on a folder that does not exist', async () => {
    const sink = new RecordingMessageSink();
    const checking = validateBatchFolder(
      `${writeBatchFolder('b1', {})}-missing`,
      { sink, validators, manifestValidator },
      SETTINGS,
    );
    await expect(checking).rejects.toThrow(BatchFolderError);
    await expect(checking).rejects.toThrow(/^cannot read the batch folder .*b1-missing$/);
    expect(sink.messages).toEqual([]);
  });
});
