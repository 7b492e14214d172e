import { RecordingMessageSink } from '@tally/domain/testing';
import { createRowValidators } from '@tally/schema';
import { batchCheckSummary } from './batchCheckSummary';
import { BatchFolderError } from './BatchFolderError';
import { writeBatchFolder } from './testing/writeBatchFolder';
import { validateBatchFolder } from './validateBatchFolder';
import type { BatchCheckSettings, BatchVerdict } from './validateBatchFolder';

const SETTINGS: BatchCheckSettings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 1_000_000,
  maxLineBytes: 1_000,
  maxRowErrors: 100,
};

const CUSTOMERS = 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\nC2,Alan,T,\n';
const ORDERS =
  'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,paid,1700000000\nO2,C2,void,1700000001\n';
const ITEMS = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\nO1,ink,2,0.20\n';
const CLEAN = { 'customers.csv': CUSTOMERS, 'orders.csv': ORDERS, 'items.csv': ITEMS };

const validators = createRowValidators();

const check = async (files: Record<string, string>, settings = SETTINGS) => {
  const sink = new RecordingMessageSink();
  const result = await validateBatchFolder(
    writeBatchFolder('b1', files),
    { sink, validators },
    settings,
  );
  return { result, lines: sink.messages.map((message) => message.body) };
};

describe('validateBatchFolder', () => {
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
      behaviour: 'reports each rejected row, per file in customers, orders, items order',
      files: {
        'items.csv': `${ITEMS}O2,cup,0,1\n`,
        'orders.csv': `${ORDERS}O3,C1,paid,17e8\nO1,C2,paid,1\n`,
        'customers.csv': `${CUSTOMERS}C3,Bob\n`,
      },
      verdict: 'errors',
      lines: [
        '{"type":"error_message","message":"customers.csv line 4: the row has 2 fields but the header has 4","code":"ROW_FIELD_COUNT","batch_id":"b1","file":"customers.csv","line":4}',
        '{"type":"error_message","message":"orders.csv line 4: order_timestamp \\"17e8\\" must be unix seconds (digits only)","code":"VALUE_INVALID_TIMESTAMP","batch_id":"b1","file":"orders.csv","line":4,"column":"order_timestamp","value":"17e8"}',
        '{"type":"error_message","message":"orders.csv line 5: order_reference \\"O1\\" repeats the row on line 2, which wins","code":"DUPLICATE_REFERENCE","batch_id":"b1","file":"orders.csv","line":5,"column":"order_reference","value":"O1"}',
        '{"type":"error_message","message":"items.csv line 4: quantity \\"0\\" must be an integer >= 1","code":"VALUE_OUT_OF_RANGE","batch_id":"b1","file":"items.csv","line":4,"column":"quantity","value":"0"}',
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
      files: { ...CLEAN, 'customers.csv': 'customer_reference,first_name\nC1,Ada\n' },
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
  ])('$behaviour', async ({ files, settings, verdict, lines }) => {
    const { result, lines: sent } = await check(files, settings);
    expect(sent).toEqual(lines);
    expect(result.verdict).toBe(verdict);
    expect(result.errorMessages).toBe(lines.length);
  });

  it('counts rows per file and the customer messages of a clean batch', async () => {
    const { result } = await check(CLEAN);
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'file           rows read  accepted  rejected  orphans  status',
        'customers.csv          2         2         0        0  accepted',
        'orders.csv             2         2         0        0  accepted',
        'items.csv              2         2         0        0  accepted',
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

  it('counts rejected rows, orphans, and files that are not part of the batch', async () => {
    const { result } = await check({
      ...CLEAN,
      'orders.csv': `${ORDERS}O3,C9,paid,1\nO4,C1,paid,-1\n`,
      'notes.csv': '',
      'README.md': '',
    });
    expect(batchCheckSummary(result)).toBe(
      [
        'batch "b1"',
        'file           rows read  accepted  rejected  orphans  status',
        'customers.csv          2         2         0        0  accepted',
        'orders.csv             4         3         1        1  accepted',
        'items.csv              2         2         0        0  accepted',
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
        'file            rows read  accepted  rejected  orphans  status',
        'customers*.csv          -         -         -        -  missing',
        'orders.csv              0         0         0        -  rejected as a whole (FILE_MISSING_COLUMNS)',
        'items.csv               3         2         1        -  accepted',
        'customer messages: none, the batch would not be aggregated',
        'error messages: 2 (on stdout)',
        'result: incomplete, the batch cannot be aggregated (no customers*.csv, orders.csv rejected)',
        '',
      ].join('\n'),
    );
  });

  it.each([
    {
      behaviour: 'fails on a folder that does not exist',
      folder: () => `${writeBatchFolder('b1', {})}-missing`,
      message: /^cannot read the batch folder .*b1-missing: ENOENT$/,
    },
    {
      behaviour: 'fails on a folder with two files of one kind',
      folder: () => writeBatchFolder('b1', { ...CLEAN, 'orders-2.csv': ORDERS }),
      message:
        /b1 holds two orders files, orders-2\.csv and orders\.csv: the pipeline would use whichever it processes last; keep one$/,
    },
  ])('$behaviour', async ({ folder, message }) => {
    const sink = new RecordingMessageSink();
    const checking = validateBatchFolder(folder(), { sink, validators }, SETTINGS);
    await expect(checking).rejects.toThrow(BatchFolderError);
    await expect(checking).rejects.toThrow(message);
    expect(sink.messages).toEqual([]);
  });
});
