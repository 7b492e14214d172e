import { TallyUsageError } from '../errors/TallyUsageError';
import {
  decodeStagedRows,
  encodeStagedRows,
  StagedChunkBuilder,
  forEachStagedItem,
  StagedRowsCorruptError,
} from './stagedRowCodec';
import type { StagedCustomer, StagedItem, StagedOrder } from './stagedRowTypes';

const AWKWARD_REFERENCES = [
  'C1',
  'tab\there',
  'line\nbreak\r\n',
  'back\\slash\\t',
  '\\',
  '日本🎉',
  '',
  ' spaced ',
];

describe('encodeStagedRows and decodeStagedRows', () => {
  it.each([
    [
      'customers',
      [
        { line: 2, customerReference: 'C1' },
        { line: 3, customerReference: 'C2' },
        { line: 9, customerReference: 'C3' },
      ],
      '2\tC1\n1\tC2\n6\tC3',
    ],
    ['orders', [{ line: 2, orderReference: 'O1', customerReference: 'C1' }], '2\tO1\tC1'],
    [
      'items',
      [
        { line: 2, orderReference: 'O1', amount: 19_990_000n },
        { line: 4, orderReference: 'O1', amount: 0n },
      ],
      '2\tO1\t19.99\n2\tO1\t0',
    ],
    ['customers', [], ''],
  ] as const)('encodes %s compactly', (kind, rows, text) => {
    expect(encodeStagedRows(kind, rows)).toBe(text);
    expect(decodeStagedRows(kind, text)).toEqual(rows);
  });

  it('round-trips any reference, escaping tabs, line breaks and backslashes', () => {
    const orders: StagedOrder[] = AWKWARD_REFERENCES.map((reference, index) => ({
      line: index + 2,
      orderReference: reference,
      customerReference: [...reference].reverse().join(''),
    }));
    const text = encodeStagedRows('orders', orders);
    expect(text.split('\n')).toHaveLength(orders.length);
    expect(decodeStagedRows('orders', text)).toEqual(orders);
    expect(encodeStagedRows('customers', [{ line: 1, customerReference: 'a\tb\\n' }])).toBe(
      '1\ta\\tb\\\\n',
    );
  });

  it('round-trips rows in any line order and the largest amounts', () => {
    const items: StagedItem[] = [
      { line: 10, orderReference: 'O1', amount: 999_999_999_999_999_999_999n },
      { line: 3, orderReference: 'O2', amount: 1n },
    ];
    expect(decodeStagedRows('items', encodeStagedRows('items', items))).toEqual(items);
  });

  it.each([
    ['customers', '2\tC1\tC2'],
    ['orders', '2\tO1'],
    ['items', '2\tO1\t1e3'],
    ['items', 'x\tO1\t1'],
    ['customers', '2\tC1\n'],
    ['customers', '-\tC1'],
    ['customers', '\tC1'],
    ['customers', '1.5\tC1'],
    ['orders', '2\tO\\t1\tC1\tC2'],
  ] as const)('refuses %s text %p that is not its rows', (kind, text) => {
    expect(() => decodeStagedRows(kind, text)).toThrow(StagedRowsCorruptError);
  });
});

describe('forEachStagedItem', () => {
  const itemsOf = (text: string) => {
    const items: [number, string, number | bigint][] = [];
    forEachStagedItem(text, (line, orderReference, amount) => {
      items.push([line, orderReference, amount]);
    });
    return items;
  };

  it('reads items as decodeStagedRows does, amounts below 2^53 millionths as Numbers', () => {
    const items: StagedItem[] = [
      { line: 2, orderReference: 'O\t1', amount: 19_990_000n },
      { line: 5, orderReference: 'O2', amount: 999_999_999_999_999n },
      { line: 6, orderReference: 'O3', amount: 1_000_000_000_000_000n },
    ];
    expect(itemsOf(encodeStagedRows('items', items))).toEqual([
      [2, 'O\t1', 19_990_000],
      [5, 'O2', 999_999_999_999_999],
      [6, 'O3', 1_000_000_000_000_000n],
    ]);
  });

  it('reads empty text as no items', () => {
    expect(itemsOf('')).toEqual([]);
  });

  it.each(['2\tO1\t1e3', '2\tO1', 'x\tO1\t1', '2\tO1\t1\t5'])(
    'refuses text %p that is not items, after visiting the items before it',
    (text) => {
      const visited: string[] = [];
      expect(() =>
        forEachStagedItem(`1\tO0\t1\n${text}`, (_line, orderReference) => {
          visited.push(orderReference);
        }),
      ).toThrow(StagedRowsCorruptError);
      expect(visited).toEqual(['O0']);
    },
  );
});

describe('StagedChunkBuilder', () => {
  const customers: StagedCustomer[] = Array.from({ length: 10 }, (_, index) => ({
    line: index + 2,
    customerReference: `C${index}`,
  }));

  function chunksOf(builder: StagedChunkBuilder<'customers'>, rows: readonly StagedCustomer[]) {
    const chunks = rows.flatMap((row) => builder.add(row) ?? []);
    const last = builder.flush();
    return last === undefined ? chunks : [...chunks, last];
  }

  it('packs rows into chunks within the byte budget, each decodable alone', () => {
    const chunks = chunksOf(new StagedChunkBuilder('customers', { maxChunkBytes: 12 }), customers);
    expect(chunks.map((chunk) => chunk.rows)).toEqual([
      '2\tC0\n1\tC1',
      '4\tC2\n1\tC3',
      '6\tC4\n1\tC5',
      '8\tC6\n1\tC7',
      '10\tC8\n1\tC9',
    ]);
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual([2, 2, 2, 2, 2]);
    expect(chunks.flatMap((chunk) => decodeStagedRows('customers', chunk.rows))).toEqual(customers);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const rows = [
      { line: 1, customerReference: '€€' },
      { line: 2, customerReference: '€€' },
    ];
    // Each row is 8 bytes ('1\t' + 6), so two rows with the separator need 17.
    expect(chunksOf(new StagedChunkBuilder('customers', { maxChunkBytes: 16 }), rows)).toHaveLength(
      2,
    );
    expect(chunksOf(new StagedChunkBuilder('customers', { maxChunkBytes: 17 }), rows)).toEqual([
      { rows: '1\t€€\n1\t€€', rowCount: 2 },
    ]);
  });

  it('escapes references and counts their bytes in chunks, as encodeStagedRows does', () => {
    const orders: StagedOrder[] = AWKWARD_REFERENCES.map((reference, index) => ({
      line: index + 2,
      orderReference: reference,
      customerReference: `C${index}`,
    }));
    const builder = new StagedChunkBuilder('orders', { maxChunkBytes: 40 });
    const chunks = orders.flatMap((order) => builder.add(order) ?? []);
    const last = builder.flush();
    if (last !== undefined) chunks.push(last);
    for (const chunk of chunks) {
      const rows = decodeStagedRows('orders', chunk.rows);
      expect(chunk.rowCount).toBe(rows.length);
      expect(chunk.rows).toBe(encodeStagedRows('orders', rows));
      if (rows.length > 1) expect(Buffer.byteLength(chunk.rows)).toBeLessThanOrEqual(40);
    }
    expect(chunks.flatMap((chunk) => decodeStagedRows('orders', chunk.rows))).toEqual(orders);
  });

  it('gives a row larger than the budget a chunk of its own', () => {
    const rows = [
      { line: 1, customerReference: 'a' },
      { line: 2, customerReference: 'x'.repeat(50) },
      { line: 3, customerReference: 'b' },
    ];
    const chunks = chunksOf(new StagedChunkBuilder('customers', { maxChunkBytes: 10 }), rows);
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual([1, 1, 1]);
  });

  it('has nothing to flush when empty', () => {
    expect(new StagedChunkBuilder('items', { maxChunkBytes: 100 }).flush()).toBeUndefined();
  });

  it('fills chunks up to the budget without passing it', () => {
    const builder = new StagedChunkBuilder('orders', { maxChunkBytes: 300_000 });
    const rows = Array.from({ length: 40_000 }, (_, index) => ({
      line: index + 2,
      orderReference: `ORDER-${index}`,
      customerReference: `CUSTOMER-${index % 1_000}`,
    }));
    const chunks = rows.flatMap((row) => builder.add(row) ?? []);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(Buffer.byteLength(chunk.rows)).toBeLessThanOrEqual(300_000);
      expect(Buffer.byteLength(chunk.rows)).toBeGreaterThan(299_900);
    }
  });

  it.each([0, -1, 2.5])('refuses a budget of %p bytes', (maxChunkBytes) => {
    expect(() => new StagedChunkBuilder('items', { maxChunkBytes })).toThrow(TallyUsageError);
  });
});
