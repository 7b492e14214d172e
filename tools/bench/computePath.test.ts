import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRowValidators } from '@tally/schema';
import { expectedReferentialProblems } from '../generate/expectedOutput';
import type { ExpectedBatch } from '../generate/generateBatch';
import { generateBatch } from '../generate/generateBatch';
import type { BatchFiles } from './computePath';
import { runComputePath, runCsvParserFloor } from './computePath';

const settings = { batchId: 'b1', maxLineBytes: 1_048_576, maxRowErrors: 1_000 };
let folder: string;
let expected: ExpectedBatch;
let files: BatchFiles;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tally-compute-'));
  expected = await generateBatch({
    outDir: folder,
    customers: 200,
    orders: 1_000,
    items: 4_000,
    seed: 11,
    errorRate: 0.05,
  });
  files = {
    customers: expected.files.customers.path,
    orders: expected.files.orders.path,
    items: expected.files.items.path,
  };
});

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('runComputePath', () => {
  it('reads every row and produces the expected messages', async () => {
    const run = await runComputePath(files, createRowValidators(), settings);

    expect(run.rows).toBe(200 + 1_000 + 4_000);
    expect(run.customerMessages).toBe(expected.customers.length);
    expect(run.aggregationErrors).toBe(expectedReferentialProblems(expected));
    expect(run.ingestErrors).toEqual(expected.rejectedRows);
    const staged = run.chunks.items.reduce((sum, chunk) => sum + chunk.rowCount, 0);
    expect(staged).toBe(4_000 - expected.rejectedRows.items);
  });
});

describe('runCsvParserFloor', () => {
  it('counts the data rows of the three files', async () => {
    const run = await runCsvParserFloor(files, settings.maxLineBytes);

    expect(run.rows).toBe(200 + 1_000 + 4_000);
  });
});
