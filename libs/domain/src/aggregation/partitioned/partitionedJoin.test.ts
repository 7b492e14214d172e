import { referenceHash, slotOf } from '../../partitioning/referenceHash';
import { serializeOutputMessage } from '../../messages/outputMessages';
import { encodeStagedRows } from '../../staging/stagedRowCodec';
import type { StagedCustomer, StagedItem, StagedOrder } from '../../staging/stagedRowTypes';
import { BatchAggregation } from '../BatchAggregation';
import { mergedMessages } from '../ReferentialErrors';
import { CustomerTotals } from './CustomerTotals';
import { OrderTotals } from './OrderTotals';

/** A small seeded generator: the same batches on every run. */
const randomOf = (seed: number) => {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
};

interface StagedBatch {
  readonly files: readonly string[];
  readonly customers: readonly (readonly StagedCustomer[])[];
  readonly orders: readonly (readonly StagedOrder[])[];
  readonly items: readonly (readonly StagedItem[])[];
}

/**
 * Staged rows of a batch with every referential problem: repeated customers and orders (within
 * a file and across parts), orders of unknown customers, items of unknown orders, amounts past
 * 2^53 millionths.
 */
const stagedBatch = (seed: number): StagedBatch => {
  const random = randomOf(seed);
  const lines = (rows: number) => Array.from({ length: rows }, (_, n) => n + 2);
  const customers = [lines(120), lines(40)].map((part) =>
    part.map((line) => ({ line, customerReference: `C${random(150)}` })),
  );
  const orders = [lines(300), lines(200)].map((part) =>
    part.map((line) => ({
      line,
      orderReference: `O${random(450)}`,
      customerReference: `C${random(170)}`,
    })),
  );
  const items = [lines(900), lines(700)].map((part) =>
    part.map((line) => ({
      line,
      orderReference: `O${random(480)}`,
      amount: random(10) === 0 ? 9_007_199_254_740_993n : BigInt(random(100_000_000)),
    })),
  );
  const files = [
    'customers-1.csv',
    'customers-2.csv',
    'orders-1.csv',
    'orders-2.csv',
    'items-1.csv',
    'items-2.csv',
  ];
  return { files, customers, orders, items };
};

const CAP = 7;

const singlePass = (batch: StagedBatch): string[] => {
  const aggregation = new BatchAggregation({ batchId: 'b1', maxErrorsPerFile: CAP });
  batch.customers.forEach((rows, part) => aggregation.addCustomers(rows, batch.files[part]!));
  batch.orders.forEach((rows, part) => aggregation.addOrders(rows, batch.files[2 + part]!));
  batch.items.forEach((rows, part) =>
    aggregation.addStagedItems(encodeStagedRows('items', rows), batch.files[4 + part]!),
  );
  const { customers, errors } = aggregation.finish();
  return [...customers, ...errors].map(serializeOutputMessage);
};

const partitioned = (batch: StagedBatch, partitions: number): string[] => {
  const inPartition = (partition: number) => (reference: string) =>
    slotOf(referenceHash(reference), partitions) === partition;
  const input = { batchId: 'b1', maxErrorsPerFile: CAP, files: batch.files };
  const orderPhases = Array.from({ length: partitions }, (_, partition) => {
    const keep = inPartition(partition);
    const totals = new OrderTotals(input);
    batch.orders.forEach((rows, part) =>
      totals.addOrders(
        rows.filter((row) => keep(row.orderReference)),
        2 + part,
      ),
    );
    // Items come in chunks holding other partitions' rows too: `keep` picks this partition's.
    batch.items.forEach((rows, part) =>
      totals.addStagedItems(encodeStagedRows('items', rows), 4 + part, keep),
    );
    return totals.finish();
  });
  const customerPhases = Array.from({ length: partitions }, (_, partition) => {
    const keep = inPartition(partition);
    const totals = new CustomerTotals(input);
    batch.customers.forEach((rows, part) =>
      totals.addCustomers(
        rows.filter((row) => keep(row.customerReference)),
        part,
      ),
    );
    // Totals arrive from every orders partition, in any order.
    for (const phase of [...orderPhases].reverse()) {
      for (let order = 0; order < phase.count; order += 1) {
        const total = phase.totalAt(order);
        if (keep(total.customerReference)) totals.addOrderTotal(total);
      }
    }
    return totals.finish();
  });
  const errors = mergedMessages(
    'b1',
    CAP,
    [...orderPhases, ...customerPhases].map((phase) => phase.problems),
    batch.files,
  );
  return [...customerPhases.flatMap((phase) => phase.customers), ...errors].map(
    serializeOutputMessage,
  );
};

describe('the partitioned join (OrderTotals, then CustomerTotals)', () => {
  it.each([1, 2, 3, 4])(
    'gives exactly the single-pass messages for seed %p at P = 1, 2, 8',
    (seed) => {
      const batch = stagedBatch(seed);
      const expected = singlePass(batch);
      const customers = expected.filter((body) => body.includes('"customer_message"'));
      const errors = expected.filter((body) => !body.includes('"customer_message"'));
      // Every problem is there, and some files go past the cap.
      for (const code of [
        'DUPLICATE_REFERENCE',
        'ORPHAN_ORDER',
        'ORPHAN_ITEM',
        'TOO_MANY_REFERENTIAL_ERRORS',
      ])
        expect(errors.some((body) => body.includes(`"${code}"`))).toBe(true);
      for (const partitions of [1, 2, 8]) {
        const got = partitioned(batch, partitions);
        // Customers may come in another order; errors come in the same order.
        expect([...got.slice(0, customers.length)].sort()).toEqual([...customers].sort());
        expect(got.slice(customers.length)).toEqual(errors);
      }
    },
  );

  it('sums an order past 2^53 millionths exactly', () => {
    const totals = new OrderTotals({ batchId: 'b1', maxErrorsPerFile: 1, files: ['o', 'i'] });
    totals.addOrders([{ line: 2, orderReference: 'O1', customerReference: 'C1' }], 0);
    const items = [
      { line: 2, orderReference: 'O1', amount: 9_007_199_254_740_991n },
      { line: 3, orderReference: 'O1', amount: 3n },
      { line: 4, orderReference: 'O1', amount: 9_007_199_254_740_993n },
    ];
    totals.addStagedItems(encodeStagedRows('items', items), 1);
    const finished = totals.finish();
    expect(finished.count).toBe(1);
    expect(finished.totalAt(0)).toEqual({
      file: 0,
      line: 2,
      customerReference: 'C1',
      total: 18_014_398_509_481_987n,
    });
  });
});
