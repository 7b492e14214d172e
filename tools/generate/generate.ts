// `npm run generate -- --out <dir> [options]`: a seeded batch and its exact expected output.
// `--help` lists the options.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineCommand, executeCommandAsProcess, writeText } from '@tally/command-line';
import { expectedErrorMessageCount, writeExpectedBatch } from './expectedOutput';
import { BATCH_SHAPE_OPTIONS } from './batchShapeOptions';
import { generateBatch } from './generateBatch';

const generateSpec = defineCommand({
  name: 'npm run generate --',
  summary:
    'Writes a seeded batch (customers.csv, orders.csv, items.csv) and expected.json, the exact\ncustomer messages and error counts Tally must produce, to a folder.',
  details: 'stdout gets one JSON line, the summary; stderr the files and their sizes.',
  positionals: [],
  options: {
    out: { type: 'string', valueName: 'dir', description: 'the folder (created)', required: true },
    ...BATCH_SHAPE_OPTIONS,
    'max-row-errors': {
      type: 'number',
      valueName: 'n',
      default: 1000,
      description: "ingest's cap on row errors per file, for the expected error count",
    },
  },
  exitCodes: [
    [0, 'written'],
    [1, 'failed (the folder cannot be written)'],
  ],
});

executeCommandAsProcess(generateSpec, async ({ options, io }) => {
  const outDir = resolve(io.cwd, options.out);
  await mkdir(outDir, { recursive: true });
  const started = performance.now();
  const expected = await generateBatch({
    outDir,
    customers: options.customers,
    orders: options.orders,
    items: options.items,
    seed: options.seed,
    errorRate: options['error-rate'],
  });
  await writeExpectedBatch(join(outDir, 'expected.json'), expected);
  const files = Object.values(expected.files);
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  for (const file of files) {
    io.stderr.write(`${file.name}: ${file.rows} rows, ${(file.bytes / 1e6).toFixed(1)} MB\n`);
  }
  io.stderr.write(
    `${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s to ${outDir}\n`,
  );
  const summary = {
    outDir,
    bytes,
    customerMessages: expected.customers.length,
    errorMessages: expectedErrorMessageCount(expected, options['max-row-errors']),
    errorCodes: expected.errorCodes,
  };
  await writeText(io.stdout, `${JSON.stringify(summary)}\n`);
  return 0;
});
