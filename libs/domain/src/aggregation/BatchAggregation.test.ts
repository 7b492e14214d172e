import { TallyUsageError } from '../errors/TallyUsageError';
import { encodeStagedRows, StagedRowsCorruptError } from '../staging/stagedRowCodec';
import type { StagedCustomer, StagedItem, StagedOrder } from '../staging/stagedRowTypes';
import { BatchAggregation } from './BatchAggregation';

const input = { batchId: 'b1', maxErrorsPerFile: 1000 };

function aggregated(customers: StagedCustomer[], orders: StagedOrder[], items: StagedItem[]) {
  const aggregation = new BatchAggregation(input);
  customers.forEach((customer) => aggregation.addCustomer(customer, 'customers.csv'));
  orders.forEach((order) => aggregation.addOrder(order, 'orders.csv'));
  items.forEach((item) => aggregation.addItem(item, 'items.csv'));
  return aggregation.finish();
}

const customer = (line: number, customerReference: string): StagedCustomer => ({
  line,
  customerReference,
});
const order = (line: number, orderReference: string, customerReference: string): StagedOrder => ({
  line,
  orderReference,
  customerReference,
});
const item = (line: number, orderReference: string, amount: bigint): StagedItem => ({
  line,
  orderReference,
  amount,
});
const message = (
  customer_reference: string,
  number_of_orders: number,
  total_amount_spent: bigint,
) => ({
  type: 'customer_message',
  customer_reference,
  number_of_orders,
  total_amount_spent,
});

describe('BatchAggregation', () => {
  it('sums each customer its orders and their items, in customers-file order', () => {
    const result = aggregated(
      [customer(2, 'C2'), customer(3, 'C1'), customer(4, 'C3')],
      [order(2, 'O1', 'C1'), order(3, 'O2', 'C1'), order(4, 'O3', 'C2')],
      [
        item(2, 'O1', 100_000n),
        item(3, 'O1', 200_000n),
        item(4, 'O2', 12_345_678_910_000n),
        item(5, 'O2', 90_000n),
      ],
    );
    expect(result).toEqual({
      customers: [
        message('C2', 1, 0n),
        message('C1', 2, 12_345_679_300_000n),
        message('C3', 0, 0n),
      ],
      errors: [],
    });
  });

  it('reports an orphan order and leaves out its items without errors of their own', () => {
    const result = aggregated(
      [customer(2, 'C1')],
      [order(5, 'O4', 'C9'), order(6, 'O5', 'C1')],
      [item(2, 'O4', 5n), item(3, 'O5', 7n)],
    );
    expect(result.customers).toEqual([message('C1', 1, 7n)]);
    expect(result.errors).toEqual([
      {
        type: 'error_message',
        message:
          'orders.csv line 5: customer_reference "C9" is not an accepted customer of this batch; the order and its items are excluded',
        code: 'ORPHAN_ORDER',
        batch_id: 'b1',
        file: 'orders.csv',
        line: 5,
        column: 'customer_reference',
        value: 'C9',
      },
    ]);
  });

  it('reports an orphan item', () => {
    const result = aggregated(
      [customer(2, 'C1')],
      [order(2, 'O1', 'C1')],
      [item(7, 'O7', 1_000_000n), item(8, 'O1', 1n)],
    );
    expect(result.customers).toEqual([message('C1', 1, 1n)]);
    expect(result.errors).toEqual([
      {
        type: 'error_message',
        message:
          'items.csv line 7: order_reference "O7" is not an accepted order of this batch; the item is excluded',
        code: 'ORPHAN_ITEM',
        batch_id: 'b1',
        file: 'items.csv',
        line: 7,
        column: 'order_reference',
        value: 'O7',
      },
    ]);
  });

  it.each([
    [
      'customers',
      [customer(2, 'C1'), customer(5, 'C1')],
      [],
      'customers.csv line 5: customer_reference "C1" repeats the row on line 2, which wins',
    ],
    [
      'orders',
      [customer(2, 'C1')],
      [order(2, 'O1', 'C1'), order(6, 'O1', 'C1')],
      'orders.csv line 6: order_reference "O1" repeats the row on line 2, which wins',
    ],
  ])('keeps the first of repeated %s', (_kind, customers, orders, text) => {
    const result = aggregated(customers, orders, []);
    expect(result.customers).toEqual([message('C1', orders.length === 0 ? 0 : 1, 0n)]);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_REFERENCE', message: text }),
    ]);
  });

  it('counts orders without items and whatever their status', () => {
    const result = aggregated(
      [customer(2, 'C1')],
      [order(2, 'O1', 'C1'), order(3, 'O2', 'C1')],
      [],
    );
    expect(result.customers).toEqual([message('C1', 2, 0n)]);
  });

  it('keeps sums exact far beyond 2^53', () => {
    const items = Array.from({ length: 100_000 }, (_, index) =>
      item(index + 2, 'O1', 999_999_999_999_999_999_999n),
    );
    const result = aggregated([customer(2, 'C1')], [order(2, 'O1', 'C1')], items);
    expect(result.customers).toEqual([message('C1', 1, 99_999_999_999_999_999_999_900_000n)]);
  });

  it('keeps sums exact where they cross 2^53, whatever the order of the amounts', () => {
    const belowLimit = BigInt(Number.MAX_SAFE_INTEGER);
    const amounts = [belowLimit - 1n, 1n, 1n, 2n ** 60n, 3n, belowLimit, 5n];
    const exact = amounts.reduce((sum, amount) => sum + amount, 0n);
    for (const ordered of [amounts, [...amounts].reverse()]) {
      const items = ordered.map((amount, index) => item(index + 2, 'O1', amount));
      const result = aggregated([customer(2, 'C1')], [order(2, 'O1', 'C1')], items);
      expect(result.customers).toEqual([message('C1', 1, exact)]);
    }
  });

  it('joins rows added in arrays as it joins them one by one', () => {
    const customers = [customer(2, 'C1'), customer(3, 'C2'), customer(4, 'C1')];
    const orders = [order(2, 'O1', 'C1'), order(3, 'O2', 'C9'), order(4, 'O3', 'C2')];
    const items = [item(2, 'O1', 1_500_000n), item(3, 'O2', 1n), item(4, 'O9', 1n)];
    const aggregation = new BatchAggregation(input);
    aggregation.addCustomers(customers.slice(0, 1), 'customers.csv');
    aggregation.addCustomers(customers.slice(1), 'customers.csv');
    aggregation.addOrders(orders, 'orders.csv');
    aggregation.addItems(items.slice(0, 2), 'items.csv');
    aggregation.addItems([], 'items.csv');
    aggregation.addItems(items.slice(2), 'items.csv');
    expect(aggregation.finish()).toEqual(aggregated(customers, orders, items));
  });

  it('joins staged items text as it joins the decoded items, exact beyond 2^53', () => {
    const customers = [customer(2, 'C1'), customer(3, 'C2')];
    const orders = [order(2, 'O1', 'C1'), order(3, 'O2', 'C9'), order(4, 'O3', 'C2')];
    const items = [
      item(2, 'O1', 1_500_000n),
      item(3, 'O2', 1n),
      item(4, 'O9', 1n),
      item(5, 'O3', 9_007_199_254_740_991n),
      item(6, 'O3', 999_999_999_999_999_999_999n),
      item(7, 'O3', 3n),
    ];
    const aggregation = new BatchAggregation(input);
    aggregation.addCustomers(customers, 'customers.csv');
    aggregation.addOrders(orders, 'orders.csv');
    aggregation.addStagedItems(encodeStagedRows('items', items.slice(0, 4)), 'items.csv');
    aggregation.addStagedItems('', 'items.csv');
    aggregation.addStagedItems(encodeStagedRows('items', items.slice(4)), 'items.csv');
    expect(aggregation.finish()).toEqual(aggregated(customers, orders, items));
  });

  it('refuses staged items text that does not decode', () => {
    const aggregation = new BatchAggregation(input);
    expect(() => aggregation.addStagedItems('2\tO1\t1e3', 'items.csv')).toThrow(
      StagedRowsCorruptError,
    );
  });

  it('bounds long references in errors', () => {
    const result = aggregated([], [order(2, 'O1', 'C'.repeat(300))], []);
    expect(result.errors[0]?.value).toBe(`${'C'.repeat(200)}…`);
  });

  it('joins a kind sent in parts and names the part of each error and of the row that wins', () => {
    const aggregation = new BatchAggregation(input);
    aggregation.addCustomers([customer(2, 'C1')], 'customers.csv');
    aggregation.addOrders([order(2, 'O1', 'C1')], 'orders-1.csv');
    aggregation.addOrders([order(2, 'O2', 'C1'), order(3, 'O1', 'C1')], 'orders-2.csv');
    aggregation.addItems([item(2, 'O1', 1_000_000n)], 'items-a.csv');
    aggregation.addItems([item(5, 'O2', 2_000_000n), item(6, 'O7', 1n)], 'items-b.csv');
    const result = aggregation.finish();
    expect(result.customers).toEqual([message('C1', 2, 3_000_000n)]);
    expect(result.errors.map((error) => [error.file, error.line, error.message])).toEqual([
      [
        'orders-2.csv',
        3,
        'orders-2.csv line 3: order_reference "O1" repeats the row on line 2 of orders-1.csv, which wins',
      ],
      [
        'items-b.csv',
        6,
        'items-b.csv line 6: order_reference "O7" is not an accepted order of this batch; the item is excluded',
      ],
    ]);
  });

  it('reports at most the cap of referential errors per file, then one summary per file', () => {
    const aggregation = new BatchAggregation({ batchId: 'b1', maxErrorsPerFile: 2 });
    aggregation.addCustomers([customer(2, 'C1')], 'customers.csv');
    aggregation.addOrders(
      [order(2, 'O1', 'C9'), order(3, 'O2', 'C9'), order(4, 'O3', 'C9'), order(5, 'O4', 'C1')],
      'orders.csv',
    );
    aggregation.addItems(
      [2, 3, 4, 5, 6].map((line) => item(line, `X${line}`, 1n)),
      'items.csv',
    );
    const { errors } = aggregation.finish();
    expect(errors.map((error) => `${error.code} ${error.file} ${error.line ?? '-'}`)).toEqual([
      'ORPHAN_ORDER orders.csv 2',
      'ORPHAN_ORDER orders.csv 3',
      'TOO_MANY_REFERENTIAL_ERRORS orders.csv -',
      'ORPHAN_ITEM items.csv 2',
      'ORPHAN_ITEM items.csv 3',
      'TOO_MANY_REFERENTIAL_ERRORS items.csv -',
    ]);
    expect([errors[2], errors[5]].map((error) => error?.message)).toEqual([
      'orders.csv: 1 more referential error was not reported, after the first 2',
      'items.csv: 3 more referential errors were not reported, after the first 2',
    ]);
  });

  it('reports the errors with the lowest lines, whatever order the rows came in', () => {
    const aggregation = new BatchAggregation({ batchId: 'b1', maxErrorsPerFile: 2 });
    aggregation.addCustomers([customer(2, 'C1')], 'customers.csv');
    aggregation.addOrders([], 'orders.csv');
    aggregation.addItems(
      [9, 4, 7, 2, 5].map((line) => item(line, `X${line}`, 1n)),
      'items.csv',
    );
    const { errors } = aggregation.finish();
    expect(errors.map((error) => `${error.code} ${error.line ?? '-'}`)).toEqual([
      'ORPHAN_ITEM 2',
      'ORPHAN_ITEM 4',
      'TOO_MANY_REFERENTIAL_ERRORS -',
    ]);
  });

  it.each([-1, 1.5])('refuses a cap of %p', (maxErrorsPerFile) => {
    expect(() => new BatchAggregation({ batchId: 'b1', maxErrorsPerFile })).toThrow(
      'maxErrorsPerFile must be a whole number >= 0',
    );
  });

  it.each([
    [
      'a customer after an order',
      (a: BatchAggregation) => {
        a.addOrder(order(2, 'O1', 'C1'), 'orders.csv');
        a.addCustomer(customer(2, 'C1'), 'customers.csv');
      },
      'addCustomer called after the first of the orders',
    ],
    [
      'an order after an item',
      (a: BatchAggregation) => {
        a.addItem(item(2, 'O1', 1n), 'items.csv');
        a.addOrder(order(2, 'O1', 'C1'), 'orders.csv');
      },
      'addOrder called after the first of the items',
    ],
    [
      'a row after finish',
      (a: BatchAggregation) => {
        a.finish();
        a.addItem(item(2, 'O1', 1n), 'items.csv');
      },
      'addItem called after finish',
    ],
    [
      'customers after an order, in an array',
      (a: BatchAggregation) => {
        a.addOrders([order(2, 'O1', 'C1')], 'orders.csv');
        a.addCustomers([customer(2, 'C1')], 'customers.csv');
      },
      'addCustomers called after the first of the orders',
    ],
    [
      'orders after an item, in an array',
      (a: BatchAggregation) => {
        a.addItems([item(2, 'O1', 1n)], 'items.csv');
        a.addOrders([order(2, 'O1', 'C1')], 'orders.csv');
      },
      'addOrders called after the first of the items',
    ],
    [
      'items after finish, in an array',
      (a: BatchAggregation) => {
        a.finish();
        a.addItems([], 'items.csv');
      },
      'addItems called after finish',
    ],
    [
      'staged items after finish',
      (a: BatchAggregation) => {
        a.finish();
        a.addStagedItems('', 'items.csv');
      },
      'addStagedItems called after finish',
    ],
    [
      'finish twice',
      (a: BatchAggregation) => {
        a.finish();
        a.finish();
      },
      'finish called after finish',
    ],
  ])('refuses %s', (_name, misuse, text) => {
    const aggregation = new BatchAggregation(input);
    expect(() => misuse(aggregation)).toThrow(TallyUsageError);
    expect(() => misuse(new BatchAggregation(input))).toThrow(text);
  });
});
