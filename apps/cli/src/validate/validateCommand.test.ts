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
const ERROR_LINES =
  '{"type":"error_message","message":"items.csv line 3: total_price \\"1.2.3\\" must be a non-negative decimal such as 19.99","code":"VALUE_INVALID_DECIMAL","batch_id":"b1","file":"items.csv","line":3,"column":"total_price","value":"1.2.3"}\n' +
  '{"type":"error_message","message":"items.csv line 4: order_reference \\"O2\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items.csv","line":4,"column":"order_reference","value":"O2"}\n';

describe('tally validate (the bin, in a child process)', () => {
  it('prints only the error messages on stdout and exits 3 when the batch has errors', async () => {
    const result = await runTallyBin(['validate', writeBatchFolder('b1', WITH_ERRORS)]);
    expect(result).toEqual({
      code: VALIDATE_EXIT.errors,
      stdout: ERROR_LINES,
      stderr: expect.stringContaining(
        'items.csv              3         2         1        1  accepted\n',
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
        'file           rows read  accepted  rejected  orphans  status',
        'customers.csv          1         1         0        0  accepted',
        'orders.csv             1         1         0        0  accepted',
        'items.csv              1         1         0        0  accepted',
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
      stderr: 'tally validate: cannot read the batch folder /nonexistent/b1: ENOENT\n',
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
      files: [
        {
          kind: 'customers',
          file: 'customers.csv',
          rowsRead: 1,
          accepted: 1,
          rejected: 0,
          referentialErrors: 0,
        },
        {
          kind: 'orders',
          file: 'orders.csv',
          rowsRead: 1,
          accepted: 1,
          rejected: 0,
          referentialErrors: 0,
        },
        {
          kind: 'items',
          file: 'items.csv',
          rowsRead: 3,
          accepted: 2,
          rejected: 1,
          referentialErrors: 1,
        },
      ],
      missing: [],
      keyErrors: [],
      customerMessages: 1,
      errorMessages: 2,
      ignored: [],
    });
    expect(lines[3]).toBe('');
  });
});
