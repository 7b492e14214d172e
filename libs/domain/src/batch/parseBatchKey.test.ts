import { TallyUsageError } from '../errors/TallyUsageError';
import { batchKeyOf, parseBatchKey } from './parseBatchKey';

describe('parseBatchKey', () => {
  it.each([
    ['incoming/b1/customers.csv', 'b1', 'customers', 'customers.csv'],
    ['incoming/b1/orders.csv', 'b1', 'orders', 'orders.csv'],
    ['incoming/b1/items.csv', 'b1', 'items', 'items.csv'],
    ['incoming/b1/orders-2024-06.csv', 'b1', 'orders', 'orders-2024-06.csv'],
    ['incoming/b1/Orders-2024.csv', 'b1', 'orders', 'Orders-2024.csv'],
    ['incoming/b1/ITEMS_part1.csv', 'b1', 'items', 'ITEMS_part1.csv'],
    ['incoming/run 1+2&x=y/items.csv', 'run 1+2&x=y', 'items', 'items.csv'],
    ['incoming/lot-é日本🎉/customers.csv', 'lot-é日本🎉', 'customers', 'customers.csv'],
    ['incoming/ /customers.csv', ' ', 'customers', 'customers.csv'],
    ['incoming/incoming/orders.csv', 'incoming', 'orders', 'orders.csv'],
    [`incoming/${'日'.repeat(100)}/items.csv`, '日'.repeat(100), 'items', 'items.csv'],
    [`incoming/b1/items${'é'.repeat(91)}.csv`, 'b1', 'items', `items${'é'.repeat(91)}.csv`],
  ])('reads %p', (key, batchId, kind, file) => {
    expect(parseBatchKey(key, 'incoming/')).toEqual({
      success: true,
      data: { batchId, kind, file },
    });
  });

  it.each([
    ['incoming/', 'incoming/b1/orders.csv'],
    ['incoming', 'incoming/b1/orders.csv'],
    ['', 'b1/orders.csv'],
    ['data/incoming/', 'data/incoming/b1/orders.csv'],
  ])('treats the prefix %p as a folder', (prefix, key) => {
    expect(parseBatchKey(key, prefix)).toEqual({
      success: true,
      data: { batchId: 'b1', kind: 'orders', file: 'orders.csv' },
    });
  });

  const expected = 'expected incoming/<batch-id>/<customers|orders|items>*.csv';
  it.each([
    [
      'a key outside the prefix',
      'uploads/b1/orders.csv',
      'orders.csv',
      `The object key "uploads/b1/orders.csv" is outside the prefix "incoming/"; ${expected}`,
    ],
    [
      'a key that only shares the start of the prefix',
      'incomingX/b1/orders.csv',
      'orders.csv',
      `The object key "incomingX/b1/orders.csv" is outside the prefix "incoming/"; ${expected}`,
    ],
    [
      'a file directly under the prefix',
      'incoming/orders.csv',
      'orders.csv',
      `The object key "incoming/orders.csv" names a file directly under the prefix, with no batch folder; ${expected}`,
    ],
    [
      'nested folders',
      'incoming/b1/part/orders.csv',
      'orders.csv',
      `The object key "incoming/b1/part/orders.csv" has folders nested inside the batch folder; ${expected}`,
    ],
    [
      'an empty batch id',
      'incoming//orders.csv',
      'orders.csv',
      `The object key "incoming//orders.csv" has an empty batch id; ${expected}`,
    ],
    [
      'a folder marker',
      'incoming/b1/',
      'incoming/b1/',
      `The object key "incoming/b1/" is a folder, not a file; ${expected}`,
    ],
    [
      'a file that is not .csv',
      'incoming/b1/orders.xlsx',
      'orders.xlsx',
      `The object key "incoming/b1/orders.xlsx" does not end in .csv (in lower case); ${expected}`,
    ],
    [
      'a .CSV file (S3 notifies only keys ending in lower-case .csv)',
      'incoming/b1/Orders.CSV',
      'Orders.CSV',
      `The object key "incoming/b1/Orders.CSV" does not end in .csv (in lower case); ${expected}`,
    ],
    [
      'a file of an unknown kind',
      'incoming/b1/products.csv',
      'products.csv',
      `The object key "incoming/b1/products.csv" names a file whose name starts with none of customers, orders, items; ${expected}`,
    ],
    [
      'a kind that is not at the start of the name',
      'incoming/b1/my-orders.csv',
      'my-orders.csv',
      `The object key "incoming/b1/my-orders.csv" names a file whose name starts with none of customers, orders, items; ${expected}`,
    ],
    [
      'a batch id of more than 100 characters',
      `incoming/${'b'.repeat(101)}/orders.csv`,
      'orders.csv',
      `The object key "incoming/${'b'.repeat(101)}/orders.csv" has a batch id of 101 characters; batch ids may have at most 100; ${expected}`,
    ],
    [
      'a file name of more than 100 characters',
      `incoming/b1/orders${'x'.repeat(91)}.csv`,
      `orders${'x'.repeat(91)}.csv`,
      `The object key "incoming/b1/orders${'x'.repeat(91)}.csv" has a file name of 101 characters; file names may have at most 100; ${expected}`,
    ],
  ])('rejects %s', (_name, key, file, message) => {
    expect(parseBatchKey(key, 'incoming/')).toEqual({
      success: false,
      error: { code: 'KEY_INVALID', file, message },
    });
  });
});

describe('batchKeyOf', () => {
  it.each([
    ['incoming/', 'b1', 'orders.csv', 'incoming/b1/orders.csv'],
    ['incoming', 'b1', 'orders.csv', 'incoming/b1/orders.csv'],
    ['', 'b1', 'orders.csv', 'b1/orders.csv'],
    ['incoming/', 'run 1+2&x=y é', 'Items.CSV', 'incoming/run 1+2&x=y é/Items.CSV'],
  ])('builds the key of %p %p %p', (prefix, batchId, file, key) => {
    expect(batchKeyOf(prefix, batchId, file)).toBe(key);
  });

  it('builds keys that parseBatchKey reads back', () => {
    const key = batchKeyOf('incoming/', 'lot 7 & 8 = 🎉', 'customers.csv');
    expect(parseBatchKey(key, 'incoming/')).toEqual({
      success: true,
      data: { batchId: 'lot 7 & 8 = 🎉', kind: 'customers', file: 'customers.csv' },
    });
  });

  it.each([
    ['an empty batch id', '', 'orders.csv'],
    ['a batch id with a slash', 'a/b', 'orders.csv'],
    ['an empty file name', 'b1', ''],
    ['a file name with a slash', 'b1', 'x/orders.csv'],
  ])('refuses %s', (_name, batchId, file) => {
    expect(() => batchKeyOf('incoming/', batchId, file)).toThrow(TallyUsageError);
  });
});
