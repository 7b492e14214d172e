import type { FieldError, FileKind } from '@tally/domain';
import { createRowValidators } from './createRowValidators';
import { MAX_ORDER_TIMESTAMP } from './orderRowSchema';

const REQUIRED = 'is required';
const NOT_UNIX_SECONDS = 'must be unix seconds (digits only)';
const TIMESTAMP_TOO_LATE = `must be at most ${MAX_ORDER_TIMESTAMP} (year 9999)`;
const NOT_INTEGER = 'must be an integer written in digits, such as 3';
const BELOW_ONE = 'must be an integer >= 1';
const QUANTITY_TOO_LARGE = 'must be at most 999999999';
const NOT_DECIMAL = 'must be a non-negative decimal such as 19.99';
const PRICE_TOO_PRECISE = 'must have at most 15 integer digits and 6 decimals';

const VALID_ROWS = {
  customers: {
    customer_reference: 'C1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    status: 'active',
  },
  orders: {
    order_reference: 'O1',
    customer_reference: 'C1',
    order_status: 'paid',
    order_timestamp: '1700000000',
  },
  items: { order_reference: 'O1', item_name: 'Pen', quantity: '3', total_price: '19.99' },
} as const satisfies Record<FileKind, Record<string, string>>;

type Expected = readonly [FieldError['code'], string] | 'valid';

/** [kind, column, value, expected]: one value changed in an otherwise valid row. */
const CASES: readonly (readonly [FileKind, string, string, Expected])[] = [
  ['customers', 'customer_reference', '', ['VALUE_REQUIRED', REQUIRED]],
  ['customers', 'customer_reference', '   ', ['VALUE_REQUIRED', REQUIRED]],
  ['customers', 'customer_reference', '\t', ['VALUE_REQUIRED', REQUIRED]],
  ['customers', 'customer_reference', ' C1 ', 'valid'],
  ['customers', 'first_name', '', 'valid'],
  ['customers', 'last_name', '  ', 'valid'],
  ['customers', 'status', '', 'valid'],

  ['orders', 'order_reference', '', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'order_reference', ' ', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'customer_reference', '', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'order_status', '', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'order_timestamp', '', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'order_timestamp', '  ', ['VALUE_REQUIRED', REQUIRED]],
  ['orders', 'order_timestamp', '0', 'valid'],
  ['orders', 'order_timestamp', MAX_ORDER_TIMESTAMP, 'valid'],
  ['orders', 'order_timestamp', `000${MAX_ORDER_TIMESTAMP}`, 'valid'],
  ['orders', 'order_timestamp', '253402300800', ['VALUE_OUT_OF_RANGE', TIMESTAMP_TOO_LATE]],
  ['orders', 'order_timestamp', '99999999999999999999', ['VALUE_OUT_OF_RANGE', TIMESTAMP_TOO_LATE]],
  ['orders', 'order_timestamp', '-1', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],
  ['orders', 'order_timestamp', '17e8', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],
  ['orders', 'order_timestamp', '1700000000.5', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],
  ['orders', 'order_timestamp', ' 1700000000', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],
  ['orders', 'order_timestamp', '1700000000 ', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],
  [
    'orders',
    'order_timestamp',
    '2023-11-14T22:13:20Z',
    ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS],
  ],
  ['orders', 'order_timestamp', '１７', ['VALUE_INVALID_TIMESTAMP', NOT_UNIX_SECONDS]],

  ['items', 'order_reference', '', ['VALUE_REQUIRED', REQUIRED]],
  ['items', 'item_name', ' ', ['VALUE_REQUIRED', REQUIRED]],
  ['items', 'quantity', '', ['VALUE_REQUIRED', REQUIRED]],
  ['items', 'quantity', ' ', ['VALUE_REQUIRED', REQUIRED]],
  ['items', 'quantity', '1', 'valid'],
  ['items', 'quantity', '007', 'valid'],
  ['items', 'quantity', '999999999', 'valid'],
  ['items', 'quantity', '0', ['VALUE_OUT_OF_RANGE', BELOW_ONE]],
  ['items', 'quantity', '000', ['VALUE_OUT_OF_RANGE', BELOW_ONE]],
  ['items', 'quantity', '-3', ['VALUE_OUT_OF_RANGE', BELOW_ONE]],
  ['items', 'quantity', '-0', ['VALUE_OUT_OF_RANGE', BELOW_ONE]],
  ['items', 'quantity', '-1000000000', ['VALUE_OUT_OF_RANGE', BELOW_ONE]],
  ['items', 'quantity', '1000000000', ['VALUE_OUT_OF_RANGE', QUANTITY_TOO_LARGE]],
  ['items', 'quantity', '1.5', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', 'abc', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', '1e3', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', ' 3', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', '3 ', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', '1,000', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', '+3', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'quantity', '-', ['VALUE_INVALID_INTEGER', NOT_INTEGER]],
  ['items', 'total_price', '', ['VALUE_REQUIRED', REQUIRED]],
  ['items', 'total_price', '12', 'valid'],
  ['items', 'total_price', '0', 'valid'],
  ['items', 'total_price', '0.5', 'valid'],
  ['items', 'total_price', '19.99', 'valid'],
  ['items', 'total_price', '007.50', 'valid'],
  ['items', 'total_price', '0.000001', 'valid'],
  ['items', 'total_price', '999999999999999.999999', 'valid'],
  ['items', 'total_price', '00000999999999999999.5', 'valid'],
  ['items', 'total_price', '-1', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '1e3', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '1,000.00', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '$5', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '.5', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '5.', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', ' 5', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '5 ', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '+5', ['VALUE_INVALID_DECIMAL', NOT_DECIMAL]],
  ['items', 'total_price', '1000000000000000', ['VALUE_OUT_OF_RANGE', PRICE_TOO_PRECISE]],
  ['items', 'total_price', '0.0000001', ['VALUE_OUT_OF_RANGE', PRICE_TOO_PRECISE]],
  [
    'items',
    'total_price',
    '123456789012345678901234567890',
    ['VALUE_OUT_OF_RANGE', PRICE_TOO_PRECISE],
  ],
];

describe('createRowValidators', () => {
  const validators = createRowValidators();

  it.each(CASES)('%s: %s = %j is %j', (kind, column, value, expected) => {
    const row = { ...VALID_ROWS[kind], [column]: value };
    const result = validators[kind](row);
    if (expected === 'valid') {
      expect(result).toEqual({ success: true, data: row });
    } else {
      const [code, reason] = expected;
      expect(result).toEqual({ success: false, errors: [{ code, column, value, reason }] });
    }
  });

  it.each(Object.keys(VALID_ROWS) as FileKind[])(
    'returns a valid %s row itself, extra columns included',
    (kind) => {
      const row = { ...VALID_ROWS[kind], notes: 'ignored by the caller' };
      const result = validators[kind](row);
      expect(result.success).toBe(true);
      expect(result.success && result.data).toBe(row);
    },
  );

  it('reports every bad column of a row once, in column order', () => {
    const result = validators.items({
      total_price: '-5',
      quantity: '',
      item_name: 'Pen',
      order_reference: ' ',
    });
    expect(result).toEqual({
      success: false,
      errors: [
        { code: 'VALUE_REQUIRED', column: 'order_reference', value: ' ', reason: REQUIRED },
        { code: 'VALUE_REQUIRED', column: 'quantity', value: '', reason: REQUIRED },
        { code: 'VALUE_INVALID_DECIMAL', column: 'total_price', value: '-5', reason: NOT_DECIMAL },
      ],
    });
  });

  it('reports a missing column, or one that is not text, as a required value', () => {
    const row = { order_reference: 'O1', customer_reference: 1700000000, order_status: 'paid' };
    expect(validators.orders(row as unknown as Record<string, string>)).toEqual({
      success: false,
      errors: [
        { code: 'VALUE_REQUIRED', column: 'customer_reference', value: '', reason: REQUIRED },
        { code: 'VALUE_REQUIRED', column: 'order_timestamp', value: '', reason: REQUIRED },
      ],
    });
  });

  it.each([null, 'C1', ['C1']])('throws for a row that is not an object of cells: %j', (row) => {
    expect(() => validators.customers(row as unknown as Record<string, string>)).toThrow(
      new TypeError('row failed #/type, which has no error code'),
    );
  });
});
