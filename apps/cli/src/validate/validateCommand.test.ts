import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { EXIT_CODE, runTallyCommand } from './validateCommand';
import { writeBatchFolder } from './testing/writeBatchFolder';

const CUSTOMERS = 'customer_reference,first_name,last_name,status\nC1,Ada,L,active\n';
const ORDERS = 'order_reference,customer_reference,order_status,order_timestamp\nO1,C1,paid,1\n';
const ITEMS = 'order_reference,item_name,quantity,total_price\nO1,pen,1,0.10\n';
const CLEAN = { 'customers.csv': CUSTOMERS, 'orders.csv': ORDERS, 'items.csv': ITEMS };
const WITH_ERRORS = { ...CLEAN, 'items.csv': `${ITEMS}O1,ink,1,1.2.3\nO2,cap,1,1\n` };
const ERROR_LINES =
  '{"type":"error_message","message":"items.csv line 3: total_price \\"1.2.3\\" must be a non-negative decimal such as 19.99","code":"VALUE_INVALID_DECIMAL","batch_id":"b1","file":"items.csv","line":3,"column":"total_price","value":"1.2.3"}\n' +
  '{"type":"error_message","message":"items.csv line 4: order_reference \\"O2\\" is not an accepted order of this batch; the item is excluded","code":"ORPHAN_ITEM","batch_id":"b1","file":"items.csv","line":4,"column":"order_reference","value":"O2"}\n';

const run = promisify(execFile);
const TALLY_BIN = join(__dirname, '..', '..', 'bin', 'tally.mjs');

/** Runs the real bin in a child process: the exit code and what went to each stream. */
const runBin = async (args: string[]) => {
  // An npm script sets INIT_CWD, which the bin would take as its working directory.
  const env = { ...process.env };
  delete env.INIT_CWD;
  try {
    const { stdout, stderr } = await run(process.execPath, [TALLY_BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};

/** Runs the command in this process, with streams that keep what is written. */
const runInProcess = async (args: string[], cwd = process.cwd()) => {
  const written = { stdout: '', stderr: '' };
  const collecting = (name: keyof typeof written) =>
    new Writable({
      write(chunk, _encoding, done) {
        written[name] += String(chunk);
        done();
      },
    });
  const code = await runTallyCommand(args, {
    stdout: collecting('stdout'),
    stderr: collecting('stderr'),
    cwd,
  });
  return { code, ...written };
};

describe('tally (the bin, in a child process)', () => {
  it('prints only the error messages on stdout and exits 3 when the batch has errors', async () => {
    const result = await runBin(['validate', writeBatchFolder('b1', WITH_ERRORS)]);
    expect(result).toEqual({
      code: EXIT_CODE.errors,
      stdout: ERROR_LINES,
      stderr: expect.stringContaining(
        'items.csv              3         2         1        1  accepted\n',
      ),
    });
  });

  it('prints the usage on stderr and exits 1 without a folder', async () => {
    const result = await runBin(['validate']);
    expect(result).toEqual({
      code: EXIT_CODE.failure,
      stdout: '',
      stderr: expect.stringMatching(/^usage: tally validate <batch-folder>\n/),
    });
  });
});

describe('runTallyCommand', () => {
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
    const result = await runInProcess(['validate', writeBatchFolder('b1', files)]);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe(stdout);
  });

  it('writes the summary of a clean batch on stderr', async () => {
    const result = await runInProcess(['validate', writeBatchFolder('b1', CLEAN)]);
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
    const result = await runInProcess(['validate', 'b1'], dirname(folder));
    expect(result.code).toBe(EXIT_CODE.clean);
  });

  it.each([
    { behaviour: 'exits 1 on an unknown command', args: ['check', '.'], stderr: /^usage: / },
    {
      behaviour: 'exits 1 on an unknown option',
      args: ['validate', '--fast', '.'],
      stderr: /^tally: Unknown option '--fast'/,
    },
    { behaviour: 'exits 1 on a second folder', args: ['validate', 'a', 'b'], stderr: /^usage: / },
    {
      behaviour: 'exits 1 on a folder it cannot read',
      args: ['validate', '/nonexistent/b1'],
      stderr: /^tally validate: cannot read the batch folder \/nonexistent\/b1: ENOENT\n$/,
    },
  ])('$behaviour', async ({ args, stderr }) => {
    const result = await runInProcess(args);
    expect(result.code).toBe(EXIT_CODE.failure);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(stderr);
  });

  it('prints the usage on stdout and exits 0 when asked for help', async () => {
    const result = await runInProcess(['--help']);
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^usage: /), stderr: '' });
  });
});
