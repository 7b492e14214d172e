import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { runTallyBin } from '../testing/runTallyBin';
import { runTallyInProcess } from '../testing/runTallyInProcess';
import { writeBatchFolder } from './testing/writeBatchFolder';
import { VALIDATE_EXIT } from './validateCommand';

const CUSTOMERS = 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n';
const ORDERS = 'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,paid,1\n';
const ITEMS = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\n';
const CLEAN = { 'customers.csv': CUSTOMERS, 'orders.csv': ORDERS, 'items.csv': ITEMS };
const WITH_ERRORS = { ...CLEAN, 'items.csv': `${ITEMS}O1,ink,1,1.2.3\nO2,cap,1,1\n` };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const ERROR_LINES =
  '{"type":"error_message","message":"items.csv line 3: total_price \\"1.2.3\\" must be a non-negative decimal such as 19.99","code":"VALUE_INVALID_DECIMAL","batch_id":"b1","file":"items.csv","line":3,"column":"total_price","value":"1.2.3"}\n' +
  '{"type":"error_message","message":"items.csv line 4: order_reference \\"O2\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items.csv","line":4,"column":"order_reference","value":"O2"}\n';

// A child process loads TypeScript through tsx: seconds on a busy 2-core machine.
jest.setTimeout(60_000);

describe('tally validate (the bin, in a child process)', () => {
  it('prints only the error messages on stdout and exits 3 when the batch has errors', async () => {
    const result = await runTallyBin(['validate', writeBatchFolder('b1', WITH_ERRORS)]);
    expect(result).toEqual({
      code: VALIDATE_EXIT.errors,
      stdout: ERROR_LINES,
      stderr: expect.stringContaining(
        'items.csv              3         2         1            1  counted\n',
      ),
    });
  });
});

describe('tally validate', () => {
  it.each([
    {
      behaviour: 'exits 0 with nothing on stdout for a clean batch',
      files: CLEAN,
      code: 0,
      stdout: '',
    },
    {
      behaviour: 'exits 3 when the batch has errors',
      files: WITH_ERRORS,
      code: 3,
      stdout: ERROR_LINES,
    },
    {
      behaviour: 'exits 2 when a kind is missing',
      files: { 'customers.csv': CUSTOMERS, 'orders.csv': ORDERS },
      code: 2,
      stdout: '',
    },
    {
      behaviour: 'exits 3 when a second file of a kind would not be used',
      files: { ...CLEAN, 'items_2.csv': ITEMS },
      code: 3,
      stdout:
        '{"type":"error_message","message":"items_2.csv: the batch already has an items file, items.csv, and a batch without _manifest.json has one file per kind, so items_2.csv is not used; to replace items.csv, upload the new file under the name items.csv; to send items in several parts, upload a _manifest.json that lists every part","code":"SECOND_FILE_OF_KIND","batch_id":"b1","file":"items_2.csv"}\n',
    },
    {
      behaviour: 'exits 0 for parts that match their manifest',
      files: {
        ...CLEAN,
        'items-2.csv': ITEMS,
        '_manifest.json': JSON.stringify({
          files: [
            { name: 'customers.csv' },
            { name: 'orders.csv' },
            { name: 'items.csv', rows: 1 },
            { name: 'items-2.csv', sha256: sha256(ITEMS) },
          ],
        }),
      },
      code: 0,
      stdout: '',
    },
    {
      behaviour: 'exits 2 when a part does not match its manifest',
      files: {
        ...CLEAN,
        '_manifest.json': JSON.stringify({
          files: [
            { name: 'customers.csv' },
            { name: 'orders.csv' },
            { name: 'items.csv', rows: 2 },
          ],
        }),
      },
      code: 2,
      stdout:
        '{"type":"error_message","message":"items.csv: _manifest.json says it has 2 rows, but 1 were read; the file is not used until an upload matches _manifest.json","code":"FILE_DOES_NOT_MATCH_MANIFEST","batch_id":"b1","file":"items.csv"}\n',
    },
    {
      behaviour: 'exits 2 when the manifest is invalid',
      files: { ...CLEAN, '_manifest.json': '{"files":"all"}' },
      code: 2,
      stdout:
        '{"type":"error_message","message":"_manifest.json: files must be a list; the batch waits for a valid manifest","code":"MANIFEST_INVALID","batch_id":"b1","file":"_manifest.json"}\n',
    },
    {
      behaviour: 'exits 2 when a file is rejected as a whole',
      files: { ...CLEAN, 'orders.csv': 'order_reference,customer_reference\nO1,C1\n' },
      code: 2,
      stdout:
        '{"type":"error_message","message":"orders.csv line 1: the header lacks the required columns order_status, order_timestamp","code":"FILE_MISSING_COLUMNS","batch_id":"b1","file":"orders.csv","line":1,"column":"order_status, order_timestamp"}\n',
    },
  ])('$behaviour', async ({ files, code, stdout }) => {
    const result = await runTallyInProcess(['validate', writeBatchFolder('b1', files)]);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe(stdout);
  });

  it('writes the summary of a clean batch on stderr', async () => {
    const result = await runTallyInProcess(['validate', writeBatchFolder('b1', CLEAN)]);
    expect(result.stderr).toBe(
      [
        'batch "b1"',
        'no _manifest.json, so one file per kind: the first in name order',
        'file           rows read  accepted  rejected  ref. errors  status',
        'customers.csv          1         1         0            0  counted',
        'orders.csv             1         1         0            0  counted',
        'items.csv              1         1         0            0  counted',
        'customer messages: 1 (the pipeline would send them; not printed)',
        'error messages: 0 (on stdout)',
        'result: clean',
        '',
      ].join('\n'),
    );
  });

  it('takes a relative folder from the given working directory', async () => {
    const folder = writeBatchFolder('b1', CLEAN);
    const result = await runTallyInProcess(['validate', 'b1'], { cwd: dirname(folder) });
    expect(result.code).toBe(VALIDATE_EXIT.clean);
  });

  it('exits 1 with one line on a folder it cannot read', async () => {
    expect(await runTallyInProcess(['validate', '/nonexistent/b1'])).toEqual({
      code: VALIDATE_EXIT.failure,
      stdout: '',
      stderr:
        "tally validate: cannot read the batch folder /nonexistent/b1: caused by: ENOENT: no such file or directory, scandir '/nonexistent/b1'\n",
    });
  });

  it('ends stdout with the summary as one JSON line with --json', async () => {
    const result = await runTallyInProcess([
      'validate',
      writeBatchFolder('b1', WITH_ERRORS),
      '--json',
    ]);
    const lines = result.stdout.split('\n');
    expect(result.code).toBe(VALIDATE_EXIT.errors);
    expect(lines.slice(0, 2).join('\n')).toBe(ERROR_LINES.trimEnd());
    expect(JSON.parse(lines[2] ?? '')).toEqual({
      type: 'validate_summary',
      batchId: 'b1',
      verdict: 'errors',
      manifest: 'none',
      files: [
        {
          kind: 'customers',
          file: 'customers.csv',
          rowsRead: 1,
          accepted: 1,
          rejected: 0,
          sha256: sha256(CUSTOMERS),
          status: 'counted',
          referentialErrors: 0,
        },
        {
          kind: 'orders',
          file: 'orders.csv',
          rowsRead: 1,
          accepted: 1,
          rejected: 0,
          sha256: sha256(ORDERS),
          status: 'counted',
          referentialErrors: 0,
        },
        {
          kind: 'items',
          file: 'items.csv',
          rowsRead: 3,
          accepted: 2,
          rejected: 1,
          sha256: sha256(WITH_ERRORS['items.csv']),
          status: 'counted',
          referentialErrors: 1,
        },
      ],
      missing: [],
      blocked: [],
      keyErrors: [],
      customerMessages: 1,
      errorMessages: 2,
      ignored: [],
    });
    expect(lines[3]).toBe('');
  });
});
