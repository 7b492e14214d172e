import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run validate --silent -- <folder>` promises exactly the error_messages that the pipeline
 * sends for the folder. This runs both commands, as a user would (with `--silent`, so npm's
 * banner stays off stdout), on several batches and compares the error_message lines (the
 * pipeline's order across files is not guaranteed, so sorted).
 *
 * Only folders with one file per kind: `npm start` uploads a folder's files at the same time,
 * so which of two files of a kind the pipeline records first (and names in
 * SECOND_FILE_OF_KIND) is a race, while validate takes them in name order; and it uploads only
 * `*.csv` files, never a `_manifest.json`. Second files, parts and manifests are compared with
 * the pipeline's own ingestFile and aggregateBatch, uploading in validate's order, in
 * apps/cli/src/validate/validateBatchFolder.test.ts.
 */
jest.setTimeout(180_000);

const workspaceRoot = join(__dirname, '..', '..');

const run = (args: string[]): Promise<{ status: number | null; stdout: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });

const errorLines = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{"type":"error_message"'))
    .sort();

const HEADER = {
  customers: 'customer_reference,first_name,last_name,status',
  orders: 'order_reference,customer_reference,order_status,order_timestamp',
  items: 'order_reference,item_name,quantity,total_price',
};

const batches: Record<string, Record<string, string>> = {
  clean: {
    'customers.csv': `${HEADER.customers}\nC1,Ada,L,active\n`,
    'orders.csv': `${HEADER.orders}\nO1,C1,new,1700000000\n`,
    'items.csv': `${HEADER.items}\nO1,pen,1,0.10\n`,
  },
  'row errors and orphans é': {
    'customers.csv': `${HEADER.customers}\nC1,Ada,L,active\nC1,Dup,L,active\n,Empty,L,active\n`,
    'orders.csv': `${HEADER.orders}\nO1,C1,new,1700000000\nO2,C9,new,1\nO3,C1,new,soon\n`,
    'Items-June.csv': `${HEADER.items}\nO1,pen,0,1\nO1,ink,1,1e3\nO7,ghost,1,2\nO2,lost,1,3\nO1,"quoted, name",2,19.99\n`,
    'notes.csv': 'just,a,file\n',
  },
  'rejected file': {
    'customers.csv': 'customer_reference,first_name\nC1,Ada\n',
    'orders.csv': `${HEADER.orders}\nO1,C1,new,x\n`,
    'items.csv': `${HEADER.items}\nO1,pen,1,2\n`,
  },
};

describe('npm run validate and npm start', () => {
  const root = mkdtempSync(join(tmpdir(), 'tally-validate-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(Object.keys(batches))('send the same error_messages for the batch "%s"', async (name) => {
    const folder = join(root, name);
    mkdirSync(folder);
    for (const [file, content] of Object.entries(batches[name] ?? {}))
      writeFileSync(join(folder, file), content);

    const [validate, start] = await Promise.all([
      run(['run', 'validate', '--silent', '--', folder]),
      run(['start', '--silent', '--', folder, '--no-build']),
    ]);

    expect(errorLines(validate.stdout)).toEqual(errorLines(start.stdout));
    expect(validate.stdout.split('\n').filter(Boolean).length).toBe(
      errorLines(validate.stdout).length,
    );
    // Exit codes agree on whether the batch completes: validate 0/3 ↔ start 0, validate 2 ↔ start 2.
    expect(start.status).toBe(validate.status === 2 ? 2 : 0);
    if (name === 'clean') expect(validate.status).toBe(0);
    else expect(errorLines(validate.stdout).length).toBeGreaterThan(0);
  });
});
