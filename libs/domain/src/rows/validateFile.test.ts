import type { FileKind } from '../batch/fileKind';
import { CsvFileError } from '../csv/CsvFileError';
import type { CsvRecord } from '../csv/readCsvRecords';
import { readCsvRecords } from '../csv/readCsvRecords';
import type { RowError } from '../errors/RowError';
import { TallyUsageError } from '../errors/TallyUsageError';
import type { FieldError, RowValidator, RowValidators } from '../validation/RowValidator';
import type {
  FileValidationBatch,
  FileValidationEvent,
  FileValidationSummary,
} from './validateFile';
import { tooManyRowErrors, validateFile, validateRecordBatches } from './validateFile';

/**
 * Hand-written stand-ins for the schema library: every value is required, and an item's
 * quantity must be an integer >= 1. The validators record the rows they were given.
 */
const seenRows: Readonly<Record<string, string>>[] = [];
function fakeValidator<T>(
  extraCheck?: (row: Readonly<Record<string, string>>) => FieldError[],
): RowValidator<T> {
  return (row) => {
    seenRows.push(row);
    const errors: FieldError[] = Object.entries(row)
      .filter(([, value]) => value === '')
      .map(([column, value]) => ({ code: 'VALUE_REQUIRED', column, value, reason: 'is required' }));
    errors.push(...(extraCheck?.(row) ?? []));
    return errors.length > 0
      ? { success: false, errors }
      : { success: true, data: row as unknown as T };
  };
}
const validators: RowValidators = {
  customers: fakeValidator(),
  orders: fakeValidator(),
  items: fakeValidator(({ quantity = '' }) =>
    quantity === '' || /^[1-9]\d*$/.test(quantity)
      ? []
      : [
          {
            code: 'VALUE_INVALID_INTEGER',
            column: 'quantity',
            value: quantity,
            reason: 'must be an integer >= 1',
          },
        ],
  ),
};

const HEADERS = {
  customers: 'customer_reference,first_name,last_name,status',
  orders: 'order_reference,customer_reference,order_status,order_timestamp',
  items: 'order_reference,item_name,quantity,total_price',
} as const;

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

async function validated<K extends FileKind>(
  kind: K,
  records: AsyncIterable<CsvRecord> | string,
  maxRowErrors = 100,
): Promise<{ events: FileValidationEvent<K>[]; summary: Counts }> {
  const events: FileValidationEvent<K>[] = [];
  const generator = validateFile({
    kind,
    file: `${kind}.csv`,
    records:
      typeof records === 'string'
        ? readCsvRecords(bytesOf(records), { maxLineBytes: 10_000 })
        : records,
    validators,
    maxRowErrors,
  });
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) return { events, summary: countsOf(next.value) };
    events.push(next.value);
  }
}

/** What most tests compare: the counts and the file error (the header has its own tests). */
type Counts = Pick<FileValidationSummary, 'rowsRead' | 'accepted' | 'rejected' | 'fileError'>;
const countsOf = ({ rowsRead, accepted, rejected, fileError }: FileValidationSummary): Counts => ({
  rowsRead,
  accepted,
  rejected,
  ...(fileError !== undefined && { fileError }),
});

const rowsOf = <K extends FileKind>(events: FileValidationEvent<K>[]) =>
  events.flatMap((event) => (event.type === 'row' ? [event.row] : []));
const errorsOf = <K extends FileKind>(events: FileValidationEvent<K>[]): RowError[] =>
  events.flatMap((event) => (event.type === 'error' ? [event.error] : []));

beforeEach(() => {
  seenRows.length = 0;
});

describe('validateFile', () => {
  it('stages accepted customers with their lines', async () => {
    const { events, summary } = await validated(
      'customers',
      `${HEADERS.customers}\nC1,Ada,L,active\n\nC2,Alan,T,inactive\n`,
    );
    expect(events).toEqual([
      { type: 'row', row: { line: 2, customerReference: 'C1' } },
      { type: 'row', row: { line: 4, customerReference: 'C2' } },
    ]);
    expect(summary).toEqual({ rowsRead: 2, accepted: 2, rejected: 0 });
  });

  it('reads columns in any order, ignores extra ones and gives validators only the required ones', async () => {
    const csv =
      'note,order_timestamp,customer_reference,order_status,order_reference,\nhi,1700000000,C1,shipped,O1,\n';
    const { events } = await validated('orders', csv);
    expect(rowsOf(events)).toEqual([{ line: 2, orderReference: 'O1', customerReference: 'C1' }]);
    expect(seenRows).toEqual([
      {
        order_reference: 'O1',
        customer_reference: 'C1',
        order_status: 'shipped',
        order_timestamp: '1700000000',
      },
    ]);
  });

  it('stages an item amount exactly, and keeps Unicode and quoted line breaks', async () => {
    const csv = `\uFEFF${HEADERS.items}\n"O-é\n日本",pen,1,12345678.91\nO2,"a, ""b""",2,0.000001\n`;
    const { events, summary } = await validated('items', csv);
    expect(events).toEqual([
      { type: 'row', row: { line: 2, orderReference: 'O-é\n日本', amount: 12_345_678_910_000n } },
      { type: 'row', row: { line: 4, orderReference: 'O2', amount: 1n } },
    ]);
    expect(summary).toEqual({ rowsRead: 2, accepted: 2, rejected: 0 });
  });

  it('accepts a header alone as a file with no rows', async () => {
    expect(await validated('items', `${HEADERS.items}\n`)).toEqual({
      events: [],
      summary: { rowsRead: 0, accepted: 0, rejected: 0 },
    });
  });

  it.each([
    ['an empty file', ''],
    ['a file of empty lines', '\n\r\n\n'],
  ])('rejects %s as having no header', async (_name, csv) => {
    const fileError = {
      code: 'FILE_EMPTY',
      file: 'orders.csv',
      message: 'orders.csv: the file has no header line',
    };
    expect(await validated('orders', csv)).toEqual({
      events: [{ type: 'error', error: fileError }],
      summary: { rowsRead: 0, accepted: 0, rejected: 0, fileError },
    });
  });

  it.each([
    [
      'one missing column',
      'order_reference,customer_reference,order_status\nO1,C1,shipped\n',
      'order_timestamp',
      'orders.csv line 1: the header lacks the required column order_timestamp',
    ],
    [
      'several missing columns',
      'order_reference,customer_reference,order_state\nO1,C1,shipped\n',
      'order_status, order_timestamp',
      'orders.csv line 1: the header lacks the required columns order_status, order_timestamp',
    ],
  ])('rejects the whole file for %s, with one error', async (_name, csv, column, message) => {
    const fileError = {
      code: 'FILE_MISSING_COLUMNS',
      file: 'orders.csv',
      line: 1,
      column,
      message,
    };
    expect(await validated('orders', csv)).toEqual({
      events: [{ type: 'error', error: fileError }],
      summary: { rowsRead: 0, accepted: 0, rejected: 0, fileError },
    });
  });

  const DELIMITER_FIX = 'not commas, so export it again as comma-separated CSV';
  const CASE_FIX =
    'names must match exactly, in lower case and without spaces around them, so rename';
  it.each([
    [
      'its names separated by semicolons',
      'customers',
      'customer_reference;first_name;last_name;status\nC1;Ada;L;active\n',
      'customer_reference, first_name, last_name, status',
      `customers.csv line 1: the header lacks the required columns customer_reference, first_name, last_name, status; it names them separated by semicolons (;), as in "customer_reference;first_name;last_name;status": the file separates its fields with semicolons (;), ${DELIMITER_FIX}`,
    ],
    [
      'its quoted names separated by semicolons',
      'customers',
      '"customer_reference";"first_name";"last_name";"status";"note"\n"C1";"Ada";"L";"active";""\n',
      'customer_reference, first_name, last_name, status',
      `customers.csv line 1: the header lacks the required columns customer_reference, first_name, last_name, status; it names them separated by semicolons (;), as in "customer_reference\\";\\"first_name\\";\\"last_name\\";\\"status\\";\\"note": the file separates its fields with semicolons (;), ${DELIMITER_FIX}`,
    ],
    [
      'its names separated by tabs',
      'orders',
      'order_reference\tcustomer_reference\torder_status\torder_timestamp\nO1\tC1\tnew\t1\n',
      'order_reference, customer_reference, order_status, order_timestamp',
      `orders.csv line 1: the header lacks the required columns order_reference, customer_reference, order_status, order_timestamp; it names them separated by tabs, as in "order_reference\\tcustomer_reference\\torder_status\\torder_timestamp": the file separates its fields with tabs, ${DELIMITER_FIX}`,
    ],
    [
      'a name in another case',
      'customers',
      'Customer_Reference,first_name,last_name,status\nC1,Ada,L,active\n',
      'customer_reference',
      `customers.csv line 1: the header lacks the required column customer_reference; column 1 is "Customer_Reference": ${CASE_FIX} it customer_reference`,
    ],
    [
      'a name in another case and a name not there at all',
      'customers',
      'first_name,Customer_Reference,last_name\n',
      'customer_reference, status',
      `customers.csv line 1: the header lacks the required columns customer_reference, status; column 2 is "Customer_Reference": ${CASE_FIX} it customer_reference`,
    ],
    [
      'names with spaces around them, or in capitals',
      'orders',
      'ORDER_REFERENCE, customer_reference,order_status,order_timestamp \n',
      'order_reference, customer_reference, order_timestamp',
      `orders.csv line 1: the header lacks the required columns order_reference, customer_reference, order_timestamp; column 1 is "ORDER_REFERENCE", column 2 is " customer_reference" and column 4 is "order_timestamp ": ${CASE_FIX} them order_reference, customer_reference and order_timestamp`,
    ],
    [
      'semicolons that do not hold the required names',
      'customers',
      'reference;name\nC1;Ada\n',
      'customer_reference, first_name, last_name, status',
      'customers.csv line 1: the header lacks the required columns customer_reference, first_name, last_name, status',
    ],
  ] as const)(
    'rejects the whole file for %s, saying what it found and how to fix it',
    async (_name, kind, csv, column, message) => {
      const fileError = {
        code: 'FILE_MISSING_COLUMNS',
        file: `${kind}.csv`,
        line: 1,
        column,
        message,
      };
      expect(await validated(kind, csv)).toEqual({
        events: [{ type: 'error', error: fileError }],
        summary: { rowsRead: 0, accepted: 0, rejected: 0, fileError },
      });
    },
  );

  it.each([
    ['a required column', `${HEADERS.customers},status\n`, 'status', '"status"'],
    ['an extra column', `note,${HEADERS.customers},note,x,x\n`, 'note, x', '"note", "x"'],
  ])('rejects the whole file when the header repeats %s', async (_name, csv, column, quoted) => {
    const fileError = {
      code: 'FILE_DUPLICATE_COLUMNS',
      file: 'customers.csv',
      line: 1,
      column,
      message: `customers.csv line 1: the header names ${quoted} more than once`,
    };
    expect(await validated('customers', `${csv}C1,Ada,L,active,active\n`)).toEqual({
      events: [{ type: 'error', error: fileError }],
      summary: { rowsRead: 0, accepted: 0, rejected: 0, fileError },
    });
  });

  it('allows several unnamed columns, as trailing commas make them', async () => {
    const { summary } = await validated('customers', `${HEADERS.customers},,\nC1,Ada,L,active,,\n`);
    expect(summary).toEqual({ rowsRead: 1, accepted: 1, rejected: 0 });
  });

  it.each([
    ['fewer fields', 'C1,Ada,L', 'the row has 3 fields but the header has 4'],
    ['more fields', 'C1,Ada,L,active,extra', 'the row has 5 fields but the header has 4'],
    ['one field', 'C1', 'the row has 1 field but the header has 4'],
  ])('rejects a row with %s than the header', async (_name, row, reason) => {
    const { events, summary } = await validated(
      'customers',
      `${HEADERS.customers}\n${row}\nC2,Alan,T,active\n`,
    );
    expect(events).toEqual([
      {
        type: 'error',
        error: {
          code: 'ROW_FIELD_COUNT',
          file: 'customers.csv',
          line: 2,
          message: `customers.csv line 2: ${reason}`,
        },
      },
      { type: 'row', row: { line: 3, customerReference: 'C2' } },
    ]);
    expect(summary).toEqual({ rowsRead: 2, accepted: 1, rejected: 1 });
  });

  it.each([
    [
      'spans several lines, as a stray quote makes it',
      'C1,5" screen,L,active\nC2,Alan,T,active\nC3,7" tab,L,active',
      'the record on lines 2 to 4 has 2 fields but the header has 4; a quote in it may be unbalanced (quote a value that holds a quote, and double the quotes inside)',
    ],
    [
      'holds only white space',
      ' \t ',
      'the row has 1 field but the header has 4; the line holds only white space',
    ],
    [
      'holds a lone carriage return',
      'C1,Ada,L,active\rC9,Bob,M,active',
      'the row has 7 fields but the header has 4; it holds a carriage return (CR) that ends no line: lines must end in LF or CRLF',
    ],
  ])('says why a row with the wrong field count %s', async (_name, row, reason) => {
    const lines = row.split('\n').length;
    const { events } = await validated(
      'customers',
      `${HEADERS.customers}\n${row}\nC5,Eve,N,active\n`,
    );
    expect(events).toEqual([
      {
        type: 'error',
        error: {
          code: 'ROW_FIELD_COUNT',
          file: 'customers.csv',
          line: 2,
          message: `customers.csv line 2: ${reason}`,
        },
      },
      { type: 'row', row: { line: 2 + lines, customerReference: 'C5' } },
    ]);
  });

  it('lists at most five repeated column names in the message of a huge header', async () => {
    const names = Array.from({ length: 600 }, (_, index) => `c${index}`);
    const header = [...HEADERS.customers.split(','), ...names, ...names].join(',');
    const { summary } = await validated('customers', `${header}\n`);
    expect(summary.fileError).toMatchObject({
      code: 'FILE_DUPLICATE_COLUMNS',
      column: `${names.join(', ').slice(0, 200)}…`,
      message:
        'customers.csv line 1: the header names "c0", "c1", "c2", "c3", "c4" and 595 other names more than once',
    });
  });

  it.each([
    ['customers', `${HEADERS.customers}\n{ref},Ada,L,active\n`, 'customer_reference'],
    ['orders', `${HEADERS.orders}\nO1,{ref},new,1\n`, 'customer_reference'],
    ['orders', `${HEADERS.orders}\n{ref},C1,new,1\n`, 'order_reference'],
    ['items', `${HEADERS.items}\n{ref},pen,1,1\n`, 'order_reference'],
  ] as const)(
    'rejects a %s reference longer than 1000 characters in %s, keeping one of 1000',
    async (kind, template, column) => {
      const fits = await validated(kind, template.replace('{ref}', 'r'.repeat(1000)));
      expect(fits.summary).toEqual({ rowsRead: 1, accepted: 1, rejected: 0 });
      const tooLong = await validated(kind, template.replace('{ref}', '🎉'.repeat(501)));
      expect(errorsOf(tooLong.events)).toEqual([
        {
          code: 'VALUE_TOO_LONG',
          file: `${kind}.csv`,
          line: 2,
          column,
          value: `${'🎉'.repeat(100)}…`,
          message: `${kind}.csv line 2: ${column} "${'🎉'.repeat(100)}…" is 1002 characters long; a reference may have at most 1000`,
        },
      ]);
      expect(tooLong.summary).toEqual({ rowsRead: 1, accepted: 0, rejected: 1 });
    },
  );

  it('turns each field error into one error naming file, line, column, value and reason', async () => {
    const csv = `${HEADERS.items}\n"O1\nx",pen,1,1\nO1,pen,1,1\nO1,pen,1,1\nO1,pen,1,1\nO2,,0,5\n`;
    const { events, summary } = await validated('items', csv);
    expect(errorsOf(events)).toEqual([
      {
        code: 'VALUE_REQUIRED',
        file: 'items.csv',
        line: 7,
        column: 'item_name',
        value: '',
        message: 'items.csv line 7: item_name "" is required',
      },
      {
        code: 'VALUE_INVALID_INTEGER',
        file: 'items.csv',
        line: 7,
        column: 'quantity',
        value: '0',
        message: 'items.csv line 7: quantity "0" must be an integer >= 1',
      },
    ]);
    expect(summary).toEqual({ rowsRead: 5, accepted: 4, rejected: 1 });
  });

  it('bounds long values in errors to 200 characters plus an ellipsis', async () => {
    const long = 'x'.repeat(250);
    const { events } = await validated('items', `${HEADERS.items}\nO1,pen,${long},1\n`);
    expect(errorsOf(events)).toEqual([
      expect.objectContaining({
        value: `${'x'.repeat(200)}…`,
        message: `items.csv line 2: quantity "${'x'.repeat(200)}…" must be an integer >= 1`,
      }),
    ]);
  });

  it.each([
    ['a decimal comma', '1,50', 'has a decimal comma: prices need a decimal point, so write 1.50'],
    [
      'a decimal comma after thousands points',
      '1.234,5',
      'has a decimal comma: prices need a decimal point, so write 1234.5',
    ],
    [
      'a comma before three digits, a decimal comma or a thousands separator',
      '1,500',
      'has a comma, as a decimal comma or a thousands separator: prices need a decimal point and no thousands separators, so write 1.500 or 1500',
    ],
    [
      'a thousands comma before a decimal point',
      '1,000.50',
      'must be a non-negative decimal with at most 15 digits before the point and 6 after it',
    ],
  ])('rejects a price with %s, saying how to write it', async (_name, price, reason) => {
    const { events } = await validated('items', `${HEADERS.items}\nO1,pen,1,"${price}"\n`);
    expect(errorsOf(events)).toEqual([
      {
        code: 'VALUE_INVALID_DECIMAL',
        file: 'items.csv',
        line: 2,
        column: 'total_price',
        value: price,
        message: `items.csv line 2: total_price "${price}" ${reason}`,
      },
    ]);
  });

  it.each([
    ['more than 6 decimals', '0.1234567'],
    ['more than 15 integer digits', '1234567890123456'],
  ])('rejects a price the validator let through with %s', async (_name, price) => {
    const { events, summary } = await validated('items', `${HEADERS.items}\nO1,pen,1,${price}\n`);
    expect(errorsOf(events)).toEqual([
      {
        code: 'VALUE_INVALID_DECIMAL',
        file: 'items.csv',
        line: 2,
        column: 'total_price',
        value: price,
        message: `items.csv line 2: total_price "${price}" must be a non-negative decimal with at most 15 digits before the point and 6 after it`,
      },
    ]);
    expect(summary).toEqual({ rowsRead: 1, accepted: 0, rejected: 1 });
  });

  it.each([
    ['customers', `${HEADERS.customers}\nC1,Ada,L,active\nC2,Alan,T,active\nC1,Other,X,active\n`],
    ['orders', `${HEADERS.orders}\nO1,C1,shipped,1\nO2,C1,shipped,1\nO1,C2,shipped,2\n`],
  ] as const)(
    'accepts a repeated reference in %s: the aggregation, where rows meet, reports it',
    async (kind, csv) => {
      const { events, summary } = await validated(kind, csv);
      expect(errorsOf(events)).toEqual([]);
      expect(rowsOf(events).map((row) => row.line)).toEqual([2, 3, 4]);
      expect(summary).toEqual({ rowsRead: 3, accepted: 3, rejected: 0 });
    },
  );

  it('lets items repeat an order reference', async () => {
    const { events } = await validated('items', `${HEADERS.items}\nO1,pen,1,1\nO1,ink,1,2\n`);
    expect(rowsOf(events)).toEqual([
      { line: 2, orderReference: 'O1', amount: 1_000_000n },
      { line: 3, orderReference: 'O1', amount: 2_000_000n },
    ]);
  });

  describe('error cap', () => {
    const csv = [
      HEADERS.items,
      'O1,pen,0,1',
      'O2,pen,1,1',
      'O3,,0,1',
      'O4,pen,x,1',
      'O5,pen,1,1',
      'O6',
    ].join('\n');

    it.each([
      [0, [], 'items.csv: 5 more row errors were not reported, after the first 0'],
      [2, [2, 4], 'items.csv: 3 more row errors were not reported, after the first 2'],
      [4, [2, 4, 4, 5], 'items.csv: 1 more row error was not reported, after the first 4'],
    ])(
      'reports %i errors one by one, then sums up the rest',
      async (maxRowErrors, lines, summaryMessage) => {
        const { events, summary } = await validated('items', csv, maxRowErrors);
        const errors = errorsOf(events);
        expect(errors.slice(0, -1).map((error) => error.line)).toEqual(lines);
        expect(errors.at(-1)).toEqual({
          code: 'TOO_MANY_ROW_ERRORS',
          file: 'items.csv',
          message: summaryMessage,
        });
        expect(events.at(-1)?.type).toBe('error');
        expect(rowsOf(events).map((row) => row.line)).toEqual([3, 6]);
        expect(summary).toEqual({ rowsRead: 6, accepted: 2, rejected: 4 });
      },
    );

    it('adds no summary when the errors stay within the cap', async () => {
      const { events } = await validated('items', csv, 5);
      expect(errorsOf(events).map((error) => error.code)).not.toContain('TOO_MANY_ROW_ERRORS');
      expect(errorsOf(events)).toHaveLength(5);
    });

    it.each([-1, 1.5, Number.NaN])('refuses a cap of %p', async (maxRowErrors) => {
      await expect(validated('items', csv, maxRowErrors)).rejects.toThrow(TallyUsageError);
    });
  });

  it('ends the file at a CsvFileError: it becomes the file error, then the row-error summary', async () => {
    async function* records(): AsyncGenerator<CsvRecord> {
      yield { line: 1, values: HEADERS.items.split(',') };
      yield { line: 2, values: ['O1', 'pen', '1', '1'] };
      yield { line: 3, values: ['O2', 'pen', '0', '1'] };
      yield { line: 4, values: ['O3', 'pen', '0', '1'] };
      throw new CsvFileError(
        'LINE_TOO_LONG',
        5,
        'the record starting on this line is longer than 9 bytes',
      );
    }
    const fileError = {
      code: 'LINE_TOO_LONG',
      file: 'items.csv',
      line: 5,
      message: 'items.csv line 5: the record starting on this line is longer than 9 bytes',
    };
    const { events, summary } = await validated('items', records(), 1);
    expect(events).toEqual([
      { type: 'row', row: { line: 2, orderReference: 'O1', amount: 1_000_000n } },
      { type: 'error', error: expect.objectContaining({ line: 3 }) },
      { type: 'error', error: fileError },
      { type: 'error', error: expect.objectContaining({ code: 'TOO_MANY_ROW_ERRORS' }) },
    ]);
    expect(summary).toEqual({ rowsRead: 3, accepted: 1, rejected: 2, fileError });
  });

  it('reports invalid UTF-8 from the reader with its line', async () => {
    async function* bytes(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${HEADERS.customers}\nC1,Ada,L,active\nC2,Zo`);
      yield Buffer.from([0xeb, 0x2c]);
      yield Buffer.from('T,active\n');
    }
    const { summary } = await validated(
      'customers',
      readCsvRecords(bytes(), { maxLineBytes: 100 }),
    );
    expect(summary).toEqual({
      rowsRead: 1,
      accepted: 1,
      rejected: 0,
      fileError: {
        code: 'FILE_NOT_UTF8',
        file: 'customers.csv',
        line: 3,
        message: 'customers.csv line 3: the line is not valid UTF-8 text',
      },
    });
  });

  it('rethrows any other failure of the records', async () => {
    const failure = new Error('connection reset');
    async function* records(): AsyncGenerator<CsvRecord> {
      yield { line: 1, values: HEADERS.items.split(',') };
      throw failure;
    }
    await expect(validated('items', records())).rejects.toBe(failure);
  });

  it('stops reading the records when the file is rejected at its header', async () => {
    let recordsRead = 0;
    async function* records(): AsyncGenerator<CsvRecord> {
      for (let line = 1; ; line++) {
        recordsRead++;
        yield { line, values: ['a', 'b'] };
      }
    }
    const { summary } = await validated('items', records());
    expect(summary.fileError?.code).toBe('FILE_MISSING_COLUMNS');
    expect(recordsRead).toBe(1);
  });
});

describe('validateRecordBatches', () => {
  async function* batchesOf(
    ...batches: (readonly (readonly string[])[])[]
  ): AsyncGenerator<CsvRecord[]> {
    let line = 1;
    for (const batch of batches) yield batch.map((values) => ({ line: line++, values }));
  }

  async function validatedBatches<K extends FileKind>(
    kind: K,
    records: AsyncIterable<readonly CsvRecord[]>,
    maxRowErrors = 100,
  ) {
    const batches: FileValidationBatch<K>[] = [];
    const generator = validateRecordBatches({
      kind,
      file: `${kind}.csv`,
      records,
      validators,
      maxRowErrors,
    });
    for (let next = await generator.next(); ; next = await generator.next()) {
      if (next.done) return { batches, summary: next.value };
      batches.push(next.value);
    }
  }

  it('yields the rows and errors of each batch of records together, and skips empty ones', async () => {
    const { batches, summary } = await validatedBatches(
      'customers',
      batchesOf(
        [HEADERS.customers.split(','), ['C1', 'Ada', 'L', 'active']],
        [
          ['C2', '', 'L', 'active'],
          ['C3', 'Bo', 'K', 'active'],
          ['C5', 'Cy', ''],
        ],
        [],
        [['C4', 'Di', 'N', 'active']],
      ),
    );
    expect(batches).toEqual([
      { rows: [{ line: 2, customerReference: 'C1' }], errors: [] },
      {
        rows: [{ line: 4, customerReference: 'C3' }],
        errors: [
          expect.objectContaining({ code: 'VALUE_REQUIRED', line: 3 }),
          expect.objectContaining({ code: 'ROW_FIELD_COUNT', line: 5 }),
        ],
      },
      { rows: [{ line: 6, customerReference: 'C4' }], errors: [] },
    ]);
    expect(summary).toEqual({
      rowsRead: 5,
      accepted: 3,
      rejected: 2,
      rowErrors: 2,
      header: { width: 4, at: [0, 1, 2, 3] },
    });
  });

  it('ends with the file error alone, counting the row errors without summing them up', async () => {
    async function* records(): AsyncGenerator<CsvRecord[]> {
      yield* batchesOf([
        HEADERS.items.split(','),
        ['O1', 'Pen', '0', '1'],
        ['O2', 'Pen', '0', '1'],
      ]);
      throw new CsvFileError('LINE_TOO_LONG', 4, 'too long');
    }
    const { batches, summary } = await validatedBatches('items', records(), 1);
    expect(batches).toEqual([
      { rows: [], errors: [expect.objectContaining({ line: 2 })] },
      { rows: [], errors: [expect.objectContaining({ code: 'LINE_TOO_LONG', line: 4 })] },
    ]);
    expect(summary).toEqual(
      expect.objectContaining({ rowsRead: 2, accepted: 0, rejected: 2, rowErrors: 2 }),
    );
  });

  it('goes on from where an earlier segment stopped: its header, counts and row-error cap', async () => {
    const resume = {
      header: { width: 4, at: [0, 1, 2, 3] as const },
      rowsRead: 10,
      accepted: 9,
      rejected: 1,
      rowErrors: 1,
    };
    const batches: FileValidationBatch<'items'>[] = [];
    const generator = validateRecordBatches({
      kind: 'items',
      file: 'items.csv',
      records: (async function* () {
        yield [
          { line: 12, values: ['O1', 'pen', '0', '1'] },
          { line: 13, values: ['O2', 'pen', '0', '1'] },
          { line: 14, values: ['O3', 'pen', '1', '2'] },
        ];
      })(),
      validators,
      maxRowErrors: 2,
      resume,
    });
    let next = await generator.next();
    for (; !next.done; next = await generator.next()) batches.push(next.value);
    expect(batches).toEqual([
      {
        rows: [{ line: 14, orderReference: 'O3', amount: 2_000_000n }],
        errors: [expect.objectContaining({ line: 12 })],
      },
    ]);
    expect(next.value).toEqual({
      rowsRead: 13,
      accepted: 10,
      rejected: 3,
      rowErrors: 3,
      header: resume.header,
    });
    expect(tooManyRowErrors('items.csv', next.value.rowErrors, 2)?.message).toBe(
      'items.csv: 1 more row error was not reported, after the first 2',
    );
  });

  it('stops at a rejected header, reading no further batch', async () => {
    let batchesRead = 0;
    async function* records(): AsyncGenerator<CsvRecord[]> {
      for (;;) {
        batchesRead++;
        yield [
          { line: 1, values: ['a', 'b'] },
          { line: 2, values: ['1', '2'] },
        ];
      }
    }
    const { batches, summary } = await validatedBatches('orders', records());
    expect(batches).toEqual([{ rows: [], errors: [summary.fileError] }]);
    expect(summary.fileError?.code).toBe('FILE_MISSING_COLUMNS');
    expect(batchesRead).toBe(1);
  });
});
