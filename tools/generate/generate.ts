// `npm run generate -- --out <dir> [--customers 50000] [--orders 250000] [--items 1000000]
//   [--seed 1] [--error-rate 0] [--max-row-errors 1000]`
// Writes a seeded batch (customers.csv, orders.csv, items.csv) and expected.json (the exact
// customer messages and error counts Tally must produce) to <dir>, creating it. Progress goes
// to stderr; the last stdout line is a JSON summary.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { expectedErrorMessageCount, writeExpectedBatch } from './expectedOutput';
import { DEFAULT_BATCH_SIZE, generateBatch } from './generateBatch';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    customers: { type: 'string', default: String(DEFAULT_BATCH_SIZE.customers) },
    orders: { type: 'string', default: String(DEFAULT_BATCH_SIZE.orders) },
    items: { type: 'string', default: String(DEFAULT_BATCH_SIZE.items) },
    seed: { type: 'string', default: '1' },
    'error-rate': { type: 'string', default: '0' },
    'max-row-errors': { type: 'string', default: '1000' },
  },
});

const main = async (): Promise<void> => {
  if (values.out === undefined) throw new Error('give --out <dir>');
  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const started = performance.now();
  const expected = await generateBatch({
    outDir,
    customers: Number(values.customers),
    orders: Number(values.orders),
    items: Number(values.items),
    seed: Number(values.seed),
    errorRate: Number(values['error-rate']),
  });
  await writeExpectedBatch(join(outDir, 'expected.json'), expected);
  const files = Object.values(expected.files);
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  for (const file of files) {
    process.stderr.write(`${file.name}: ${file.rows} rows, ${(file.bytes / 1e6).toFixed(1)} MB\n`);
  }
  process.stderr.write(
    `${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s to ${outDir}\n`,
  );
  const summary = {
    outDir,
    bytes,
    customerMessages: expected.customers.length,
    errorMessages: expectedErrorMessageCount(expected, Number(values['max-row-errors'])),
    errorCodes: expected.errorCodes,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `generate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
