import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorCode, FileKind, FileValidationEvent, StagedRowOfKind } from '@tally/domain';
import {
  BatchAggregation,
  FILE_KINDS,
  readCsvRecords,
  serializeOutputMessage,
  validateFile,
} from '@tally/domain';
import { createRowValidators } from '@tally/schema';
import { customerMessageBody, expectedErrorMessageCount } from './expectedOutput';
import type { ExpectedBatch } from './generateBatch';
import { generateBatch, INJECTED_PROBLEMS } from './generateBatch';

const SMALL = { customers: 300, orders: 1_500, items: 6_000 } as const;
const validators = createRowValidators();
const folders: string[] = [];

const newFolder = async (): Promise<string> => {
  const folder = await mkdtemp(join(tmpdir(), 'tally-generate-'));
  folders.push(folder);
  return folder;
};

afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

const sha256Of = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

const hashesOf = (expected: ExpectedBatch): Promise<string[]> =>
  Promise.all(FILE_KINDS.map((kind) => sha256Of(expected.files[kind].path)));

interface DomainReading<K extends FileKind> {
  readonly rows: StagedRowOfKind[K][];
  readonly errorCodes: ErrorCode[];
  readonly rowsRead: number;
}

/** Reads one written file the way ingest does, with no cap on reported row errors. */
const readWithDomain = async <K extends FileKind>(
  expected: ExpectedBatch,
  kind: K,
): Promise<DomainReading<K>> => {
  const file = expected.files[kind];
  const events = validateFile({
    kind,
    file: file.name,
    records: readCsvRecords(createReadStream(file.path), { maxLineBytes: 65_536 }),
    validators,
    maxRowErrors: Number.MAX_SAFE_INTEGER,
  });
  const rows: StagedRowOfKind[K][] = [];
  const errorCodes: ErrorCode[] = [];
  let next: IteratorResult<FileValidationEvent<K>, { rowsRead: number }> = await events.next();
  for (; !next.done; next = await events.next()) {
    if (next.value.type === 'row') rows.push(next.value.row);
    else errorCodes.push(next.value.error.code);
  }
  return { rows, errorCodes, rowsRead: next.value.rowsRead };
};

/** Recomputes the batch's outcome independently: the domain's reader, rules and aggregation. */
const aggregateWithDomain = async (expected: ExpectedBatch) => {
  const customers = await readWithDomain(expected, 'customers');
  const orders = await readWithDomain(expected, 'orders');
  const items = await readWithDomain(expected, 'items');
  const aggregation = new BatchAggregation({ batchId: 'b1', maxErrorsPerFile: 1_000_000 });
  customers.rows.forEach((row) => aggregation.addCustomer(row, 'customers.csv'));
  orders.rows.forEach((row) => aggregation.addOrder(row, 'orders.csv'));
  items.rows.forEach((row) => aggregation.addItem(row, 'items.csv'));
  const result = aggregation.finish();
  const errorCodes: Partial<Record<ErrorCode, number>> = {};
  const allCodes = [
    ...customers.errorCodes,
    ...orders.errorCodes,
    ...items.errorCodes,
    ...result.errors.map((error) => error.code),
  ];
  for (const code of allCodes) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  return {
    customers: result.customers,
    errorCodes,
    rowsRead: [customers.rowsRead, orders.rowsRead, items.rowsRead],
    rejectedRows: {
      customers: customers.errorCodes.length,
      orders: orders.errorCodes.length,
      items: items.errorCodes.length,
    },
  };
};

describe('generateBatch', () => {
  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const first = await generateBatch({ outDir: await newFolder(), ...SMALL, seed: 7 });
    const again = await generateBatch({ outDir: await newFolder(), ...SMALL, seed: 7 });
    const other = await generateBatch({ outDir: await newFolder(), ...SMALL, seed: 8 });

    const hashes = await hashesOf(first);
    expect(await hashesOf(again)).toEqual(hashes);
    const otherHashes = await hashesOf(other);
    FILE_KINDS.forEach((_, index) => expect(otherHashes[index]).not.toBe(hashes[index]));
  });

  it('writes files that validate without a single error at error rate 0', async () => {
    const expected = await generateBatch({ outDir: await newFolder(), ...SMALL, seed: 1 });

    const recomputed = await aggregateWithDomain(expected);

    expect(recomputed.errorCodes).toEqual({});
    expect(recomputed.rowsRead).toEqual([SMALL.customers, SMALL.orders, SMALL.items]);
    expect(expected.customers).toHaveLength(SMALL.customers);
    expect(expectedErrorMessageCount(expected, 1000)).toBe(0);
  });

  it.each([0, 0.08])(
    'expects exactly what the domain computes from the files at error rate %p',
    async (errorRate) => {
      const expected = await generateBatch({
        outDir: await newFolder(),
        ...SMALL,
        seed: 3,
        errorRate,
      });

      const recomputed = await aggregateWithDomain(expected);

      expect(recomputed.customers.map(serializeOutputMessage)).toEqual(
        expected.customers.map(customerMessageBody),
      );
      expect(recomputed.errorCodes).toEqual(expected.errorCodes);
      expect(recomputed.rejectedRows).toEqual(expected.rejectedRows);
    },
  );

  it.each([
    ['another items variant', { itemsVariant: 2 }],
    ['a quarter of the orders left out', { dropOrderShare: 0.25 }],
  ])('expects exactly what the domain computes with %s', async (_name, variant) => {
    const base = { outDir: await newFolder(), ...SMALL, seed: 4, errorRate: 0.05 };
    const first = await generateBatch(base);
    const expected = await generateBatch({ ...base, outDir: await newFolder(), ...variant });

    const recomputed = await aggregateWithDomain(expected);

    expect(recomputed.customers.map(serializeOutputMessage)).toEqual(
      expected.customers.map(customerMessageBody),
    );
    expect(recomputed.errorCodes).toEqual(expected.errorCodes);
    const [firstHashes, hashes] = [await hashesOf(first), await hashesOf(expected)];
    // The variant changes its own file only: the others stay the same bytes.
    const changed = 'itemsVariant' in variant ? 'items' : 'orders';
    FILE_KINDS.forEach((kind, index) =>
      kind === changed
        ? expect(hashes[index]).not.toBe(firstHashes[index])
        : expect(hashes[index]).toBe(firstHashes[index]),
    );
  });

  it('injects every documented problem at a high error rate', async () => {
    const expected = await generateBatch({
      outDir: await newFolder(),
      ...SMALL,
      seed: 5,
      errorRate: 0.2,
    });

    const injected = new Set<string>(Object.values(INJECTED_PROBLEMS).flat());
    for (const code of injected) expect(expected.errorCodes[code as ErrorCode]).toBeGreaterThan(0);
    expect(expected.orphanOrders).toBe(expected.errorCodes.ORPHAN_ORDER);
    expect(expected.orphanItems).toBe(expected.errorCodes.ORPHAN_ITEM);
    const { customers, orders } = expected.duplicateReferences;
    expect(customers + orders).toBe(expected.errorCodes.DUPLICATE_REFERENCE);
  });

  it('writes prices in all three shapes and quotes names that need it', async () => {
    const expected = await generateBatch({ outDir: await newFolder(), ...SMALL, seed: 2 });

    const items = await readFile(expected.files.items.path, 'utf8');

    expect(items).toMatch(/,\d+\n/);
    expect(items).toMatch(/,\d+\.\d\n/);
    expect(items).toMatch(/,\d+\.\d\d\n/);
    expect(items).toContain('"Cable, USB-C"');
    expect(items).toContain('"27"" Monitor"');
  });

  it.each([
    [{ customers: 0 }, /customers must be/],
    [{ items: 1.5 }, /items must be/],
    [{ errorRate: 2 }, /errorRate must be/],
    [{ itemsVariant: -1 }, /itemsVariant must be/],
    [{ dropOrderShare: 1.5 }, /dropOrderShare must be/],
  ])('rejects %j', async (override, message) => {
    const options = { outDir: await newFolder(), ...SMALL, seed: 1, ...override };
    await expect(generateBatch(options)).rejects.toThrow(message);
  });
});

describe('expectedErrorMessageCount', () => {
  const expected = {
    rejectedRows: { customers: 3, orders: 1_000, items: 1_001 },
    orphanOrders: 4,
    orphanItems: 5,
    duplicateReferences: { customers: 2, orders: 1 },
  } as ExpectedBatch;

  // Per file: customers.csv 3 rejected + 2 repeated, orders.csv 1,000 rejected + 4 orphans
  // + 1 repeated, items.csv 1,001 rejected + 5 orphans. Row and referential errors are capped
  // separately, each past the cap replaced by one summary.
  it.each([
    [10_000, 3 + 1_000 + 1_001 + 2 + (4 + 1) + 5],
    [1_000, 3 + 1_000 + (1_000 + 1) + 2 + (4 + 1) + 5],
    [2, 3 + 3 + 3 + 2 + 3 + 3],
  ])('with at most %p row errors per file expects %p messages', (maxRowErrors, count) => {
    expect(expectedErrorMessageCount(expected, maxRowErrors)).toBe(count);
  });
});
