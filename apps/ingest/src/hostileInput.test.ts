import { deflateRawSync, gzipSync } from 'node:zlib';
import { DYNAMODB_MAX_CHUNK_BYTES } from '@tally/aws-clients';
import { decodeStagedRows, ingestFile, MAX_REFERENCE_LENGTH, parseBatchKey } from '@tally/domain';
import type {
  ErrorCode,
  ErrorMessage,
  FileKind,
  IngestOutcome,
  IngestSettings,
  StagedRowOfKind,
} from '@tally/domain';
import {
  InMemoryStagingStore,
  RecordingAggregationRequests,
  RecordingMessageSink,
} from '@tally/domain/testing';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import type { GeneratedContent } from './hostile/generatedContent';
import {
  bytesOf,
  CHUNK_BYTES,
  concatenated,
  generatedLines,
  randomBytes,
  repeatedCharacter,
  sizeOf,
} from './hostile/generatedContent';
import { GeneratedObjectSource } from './hostile/GeneratedObjectSource';
import { HeapPeak } from './hostile/HeapPeak';

/**
 * The hostile and broken input corpus: each input goes through the real ingest path
 * (`ingestFile`, the ajv row validators, in-memory ports) with the production limits, and its
 * exact outcome is asserted. Large inputs are generated while they are read. Every case must
 * also keep the heap bounded, keep every message and staged chunk within the AWS size limits,
 * name the file in every message and, when the file is rejected as a whole, leave the batch
 * able to complete once corrected files arrive. docs/limits.md records the decisions.
 */

const MiB = 1024 * 1024;
const BATCH = 'hostile';
/** SQS refuses a message body (plus attributes) over 256 KiB. */
const MAX_SQS_MESSAGE_BYTES = 256 * 1024;
/**
 * What a case may keep alive while it runs, over what was retained before it (the in-memory
 * store and sink included). Retained peaks measure at most 8.6 MiB (docs/limits.md); 200,000
 * row objects kept alive take about 38 MiB (hostile/HeapPeak.test.ts).
 */
const MAX_HEAP_GROWTH_MIB = 16;

const PRODUCTION: IngestSettings = {
  inputPrefix: 'incoming/',
  maxObjectBytes: 50 * 1024 * MiB,
  maxLineBytes: 1 * MiB,
  segmentBytes: 64 * MiB,
  maxRowErrors: 1000,
  stagedRowsTtlMs: 7 * 24 * 60 * 60 * 1000,
};

const HEADER = {
  customers: 'customer_reference,first_name,last_name,status',
  orders: 'order_reference,customer_reference,order_status,order_timestamp',
  items: 'order_reference,item_name,quantity,total_price',
} as const;

/** Valid files of each kind, as the corrected uploads that must complete a batch. */
const GOOD_FILES: { readonly [K in FileKind]: string } = {
  customers: `${HEADER.customers}\nC1,Ada,Lovelace,active\n`,
  orders: `${HEADER.orders}\nO1,C1,shipped,1700000000\n`,
  items: `${HEADER.items}\nO1,pen,1,9.99\n`,
};

type ExpectedError = Omit<ErrorMessage, 'type' | 'batch_id'>;

interface HostileCase {
  readonly name: string;
  /** The object key under `incoming/hostile/`, or a whole key when it starts with `incoming`. */
  readonly file: string;
  readonly content: GeneratedContent;
  readonly settings?: Partial<IngestSettings>;
  readonly outcome: IngestOutcome;
  /** How many error messages of each code are sent. */
  readonly codes: Partial<Record<ErrorCode, number>>;
  readonly firstError?: ExpectedError;
  readonly lastError?: ExpectedError;
  /** The rows staged, decoded (small cases), or only how many (large ones). */
  readonly staged?: readonly StagedRowOfKind[FileKind][] | number;
  /** The source must not be read further than this: proves the reader stopped early. */
  readonly maxBytesRead?: number;
}

const staged = (
  kind: FileKind,
  rowsRead: number,
  accepted: number,
  rejected = rowsRead - accepted,
): IngestOutcome => ({
  status: 'staged',
  batchId: BATCH,
  kind,
  rowsRead,
  accepted,
  rejected,
});

const rejected = (kind: FileKind, code: ErrorCode, rowsRead = 0): IngestOutcome => ({
  status: 'rejected-file',
  batchId: BATCH,
  kind,
  code,
  rowsRead,
});

const customers = (...lines: readonly string[]): GeneratedContent =>
  bytesOf(`${HEADER.customers}\n${lines.map((line) => `${line}\n`).join('')}`);

const notUtf8 = (file: string, line: number): ExpectedError => ({
  message: `${file} line ${line}: the line is not valid UTF-8 text`,
  code: 'FILE_NOT_UTF8',
  file,
  line,
});

const utf16 = (file: string, found: string): ExpectedError => ({
  message: `${file} line 1: the file is UTF-16 text (${found}), not UTF-8: save it as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited))`,
  code: 'FILE_NOT_UTF8',
  file,
  line: 1,
});

const WIDE_NAMES = Array.from({ length: 9_996 }, (_, index) => `x${index}`);
/** 10,000 column names, the four required ones spread among them. */
const WIDE_HEADER = [
  'customer_reference',
  ...WIDE_NAMES.slice(0, 3_000),
  'first_name',
  ...WIDE_NAMES.slice(3_000, 6_000),
  'last_name',
  ...WIDE_NAMES.slice(6_000),
  'status',
].join(',');
const wideRow = (reference: string, width = 10_000): string =>
  [reference, ...Array.from({ length: width - 1 }, () => 'v')].join(',');
const DUPLICATED_NAMES = WIDE_NAMES.slice(0, 4_998);

const ZIP = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
  deflateRawSync(Buffer.from(GOOD_FILES.items.repeat(50))),
]);
const TOO_LARGE = generatedLines(200, (index) => `C${index},Ada,Lovelace,active`);
const LONG_REFERENCE = 'R'.repeat(100 * 1024);

const CASES: readonly HostileCase[] = [
  {
    name: 'Latin-1 bytes: rejected from the first bad line, rows before discarded',
    file: 'customers.csv',
    content: bytesOf(
      Buffer.from(`${HEADER.customers}\nC1,Ada,L,active\nC2,José,M,active\n`, 'latin1'),
    ),
    outcome: rejected('customers', 'FILE_NOT_UTF8', 1),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: notUtf8('customers.csv', 3),
  },
  {
    name: 'Latin-1 byte after 100,000 good rows: whole file rejected, memory bounded',
    file: 'customers.csv',
    content: concatenated(
      `${HEADER.customers}\n`,
      generatedLines(100_000, (index) => `C${index},Ada,Lovelace,active`),
      Buffer.from('C-last,Zoë,Z,active\n', 'latin1'),
    ),
    outcome: rejected('customers', 'FILE_NOT_UTF8', 100_000),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: notUtf8('customers.csv', 100_002),
    // The in-memory store keeps the ~3 MB of chunks staged before the bad byte (8.6 MiB of heap).
  },
  {
    name: 'random binary bytes (1 MiB)',
    file: 'orders.csv',
    content: randomBytes(MiB, 42),
    outcome: rejected('orders', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: notUtf8('orders.csv', 1),
  },
  {
    name: 'a NUL byte',
    file: 'customers.csv',
    content: customers('C1,Ada,L,active', 'C2,A\0da,L,active'),
    outcome: rejected('customers', 'FILE_NOT_UTF8', 1),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: {
      message:
        'customers.csv line 3: the line contains a NUL byte: the file is binary or UTF-16, not UTF-8 text',
      code: 'FILE_NOT_UTF8',
      file: 'customers.csv',
      line: 3,
    },
  },
  {
    name: 'UTF-16 LE with its byte order mark (Excel "Unicode Text")',
    file: 'customers.csv',
    content: bytesOf(Buffer.from(`\uFEFF${GOOD_FILES.customers}`, 'utf16le')),
    outcome: rejected('customers', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: utf16('customers.csv', 'it starts with a UTF-16 little-endian byte order mark'),
  },
  {
    name: 'UTF-16 BE with its byte order mark',
    file: 'customers.csv',
    content: bytesOf(Buffer.from(`\uFEFF${GOOD_FILES.customers}`, 'utf16le').swap16()),
    outcome: rejected('customers', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: utf16('customers.csv', 'it starts with a UTF-16 big-endian byte order mark'),
  },
  {
    name: 'UTF-16 LE without a byte order mark',
    file: 'customers.csv',
    content: bytesOf(Buffer.from(GOOD_FILES.customers, 'utf16le')),
    outcome: rejected('customers', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: utf16(
      'customers.csv',
      'little-endian: a NUL byte beside each ASCII character, no byte order mark',
    ),
  },
  {
    name: 'a semicolon-separated export (Excel where the list separator is ;)',
    file: 'customers.csv',
    content: bytesOf(`${HEADER.customers.replaceAll(',', ';')}\nC1;Ada;Lovelace;active\n`),
    outcome: rejected('customers', 'FILE_MISSING_COLUMNS'),
    codes: { FILE_MISSING_COLUMNS: 1 },
    firstError: {
      message:
        'customers.csv line 1: the header lacks the required columns customer_reference, first_name, last_name, status; it names them separated by semicolons (;), as in "customer_reference;first_name;last_name;status": the file separates its fields with semicolons (;), not commas, so export it again as comma-separated CSV',
      code: 'FILE_MISSING_COLUMNS',
      file: 'customers.csv',
      line: 1,
      column: 'customer_reference, first_name, last_name, status',
    },
  },
  {
    name: 'header names in capitals and with spaces around them',
    file: 'orders.csv',
    content: bytesOf('ORDER_REFERENCE, customer_reference ,order_status,order_timestamp\n'),
    outcome: rejected('orders', 'FILE_MISSING_COLUMNS'),
    codes: { FILE_MISSING_COLUMNS: 1 },
    firstError: {
      message:
        'orders.csv line 1: the header lacks the required columns order_reference, customer_reference; column 1 is "ORDER_REFERENCE" and column 2 is " customer_reference ": names must match exactly, in lower case and without spaces around them, so rename them order_reference and customer_reference',
      code: 'FILE_MISSING_COLUMNS',
      file: 'orders.csv',
      line: 1,
      column: 'order_reference, customer_reference',
    },
  },
  {
    name: 'decimal commas in prices',
    file: 'items.csv',
    content: bytesOf(`${HEADER.items}\nO1,pen,1,"1,50"\nO1,pen,1,"1.234,5"\nO1,pen,1,"1,500"\n`),
    outcome: staged('items', 3, 0),
    codes: { VALUE_INVALID_DECIMAL: 3 },
    firstError: {
      message:
        'items.csv line 2: total_price "1,50" has a decimal comma: prices need a decimal point, so write 1.50',
      code: 'VALUE_INVALID_DECIMAL',
      file: 'items.csv',
      line: 2,
      column: 'total_price',
      value: '1,50',
    },
    lastError: {
      message:
        'items.csv line 4: total_price "1,500" has a comma, as a decimal comma or a thousands separator: prices need a decimal point and no thousands separators, so write 1.500 or 1500',
      code: 'VALUE_INVALID_DECIMAL',
      file: 'items.csv',
      line: 4,
      column: 'total_price',
      value: '1,500',
    },
    staged: [],
  },
  {
    name: 'a quote still open at the end of the file',
    file: 'customers.csv',
    content: customers('C1,Ada,L,active', 'C2,"Alan,T,active', 'C3,Eve,N,active'),
    outcome: rejected('customers', 'FILE_MALFORMED_CSV', 1),
    codes: { FILE_MALFORMED_CSV: 1 },
    firstError: {
      message:
        'customers.csv line 3: a quote opened in the record starting on this line is never closed',
      code: 'FILE_MALFORMED_CSV',
      file: 'customers.csv',
      line: 3,
    },
  },
  {
    name: 'one stray quote mid-field: it opens a quote never closed',
    file: 'items.csv',
    content: bytesOf(`${HEADER.items}\nO1,"pen",1,1\nO2,5" screen,1,2\nO3,ink,1,3\n`),
    outcome: rejected('items', 'FILE_MALFORMED_CSV', 1),
    codes: { FILE_MALFORMED_CSV: 1 },
    firstError: {
      message:
        'items.csv line 3: a quote opened in the record starting on this line is never closed',
      code: 'FILE_MALFORMED_CSV',
      file: 'items.csv',
      line: 3,
    },
  },
  {
    name: 'two stray quotes on different lines: the lines between are one rejected record',
    file: 'items.csv',
    content: bytesOf(
      `${HEADER.items}\nO1,5" screen,1,2\nO2,pen,1,1\nO3,7" tablet,1,3\nO4,ink,1,4\n`,
    ),
    outcome: staged('items', 2, 1),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message:
        'items.csv line 2: the record on lines 2 to 4 has 2 fields but the header has 4; a quote in it may be unbalanced (quote a value that holds a quote, and double the quotes inside)',
      code: 'ROW_FIELD_COUNT',
      file: 'items.csv',
      line: 2,
    },
    staged: [{ line: 5, orderReference: 'O4', amount: 4_000_000n }],
  },
  {
    name: 'a single 20 MB line: rejected after reading about 1 MiB of it',
    file: 'customers.csv',
    content: concatenated(
      `${HEADER.customers}\nC1,`,
      repeatedCharacter('x', 20 * MiB),
      ',L,active\nC2,Alan,T,active\n',
    ),
    outcome: rejected('customers', 'LINE_TOO_LONG'),
    codes: { LINE_TOO_LONG: 1 },
    firstError: {
      message:
        'customers.csv line 2: the record starting on this line is longer than 1048576 bytes',
      code: 'LINE_TOO_LONG',
      file: 'customers.csv',
      line: 2,
    },
    maxBytesRead: 2 * MiB,
  },
  {
    name: '10,000 columns with the required ones among them',
    file: 'customers.csv',
    content: concatenated(
      `${WIDE_HEADER}\n`,
      generatedLines(100, (index) => wideRow(`C${index}`)),
      `${wideRow('C-short', 9_999)}\n`,
    ),
    outcome: staged('customers', 101, 100),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message: 'customers.csv line 102: the row has 9999 fields but the header has 10000',
      code: 'ROW_FIELD_COUNT',
      file: 'customers.csv',
      line: 102,
    },
    staged: 100,
  },
  {
    name: '10,000 columns, each extra name twice: one bounded message',
    file: 'customers.csv',
    content: bytesOf(
      `${HEADER.customers},${[...DUPLICATED_NAMES, ...DUPLICATED_NAMES].join(',')}\n`,
    ),
    outcome: rejected('customers', 'FILE_DUPLICATE_COLUMNS'),
    codes: { FILE_DUPLICATE_COLUMNS: 1 },
    firstError: {
      message:
        'customers.csv line 1: the header names "x0", "x1", "x2", "x3", "x4" and 4993 other names more than once',
      code: 'FILE_DUPLICATE_COLUMNS',
      file: 'customers.csv',
      line: 1,
      column: `${DUPLICATED_NAMES.join(', ').slice(0, 200)}…`,
    },
  },
  {
    name: 'a header alone: a valid file with no rows',
    file: 'orders.csv',
    content: bytesOf(`${HEADER.orders}\n`),
    outcome: staged('orders', 0, 0),
    codes: {},
    staged: [],
  },
  {
    name: 'an empty file (0 bytes)',
    file: 'orders.csv',
    content: bytesOf(''),
    outcome: rejected('orders', 'FILE_EMPTY'),
    codes: { FILE_EMPTY: 1 },
    firstError: {
      message: 'orders.csv: the file has no header line',
      code: 'FILE_EMPTY',
      file: 'orders.csv',
    },
  },
  {
    name: 'only a UTF-8 byte order mark',
    file: 'orders.csv',
    content: bytesOf('\uFEFF'),
    outcome: rejected('orders', 'FILE_EMPTY'),
    codes: { FILE_EMPTY: 1 },
    firstError: {
      message: 'orders.csv: the file has no header line',
      code: 'FILE_EMPTY',
      file: 'orders.csv',
    },
  },
  {
    name: 'whitespace-only lines among rows: each is a rejected row',
    file: 'customers.csv',
    content: customers('   ', 'C1,Ada,L,active', '\t'),
    outcome: staged('customers', 3, 1),
    codes: { ROW_FIELD_COUNT: 2 },
    firstError: {
      message:
        'customers.csv line 2: the row has 1 field but the header has 4; the line holds only white space',
      code: 'ROW_FIELD_COUNT',
      file: 'customers.csv',
      line: 2,
    },
    staged: [{ line: 3, customerReference: 'C1' }],
  },
  {
    name: 'whitespace-only lines only: no header',
    file: 'customers.csv',
    content: bytesOf('  \n \t \n'),
    outcome: rejected('customers', 'FILE_MISSING_COLUMNS'),
    codes: { FILE_MISSING_COLUMNS: 1 },
    firstError: {
      message:
        'customers.csv line 1: the header lacks the required columns customer_reference, first_name, last_name, status',
      code: 'FILE_MISSING_COLUMNS',
      file: 'customers.csv',
      line: 1,
      column: 'customer_reference, first_name, last_name, status',
    },
  },
  {
    name: 'duplicate header names',
    file: 'customers.csv',
    content: bytesOf(`${HEADER.customers},status\nC1,Ada,L,active,gone\n`),
    outcome: rejected('customers', 'FILE_DUPLICATE_COLUMNS'),
    codes: { FILE_DUPLICATE_COLUMNS: 1 },
    firstError: {
      message: 'customers.csv line 1: the header names "status" more than once',
      code: 'FILE_DUPLICATE_COLUMNS',
      file: 'customers.csv',
      line: 1,
      column: 'status',
    },
  },
  {
    name: 'header names that are Object.prototype members',
    file: 'customers.csv',
    content: bytesOf(`__proto__,constructor,${HEADER.customers},toString\nx,y,C1,Ada,L,active,z\n`),
    outcome: staged('customers', 1, 1),
    codes: {},
    staged: [{ line: 2, customerReference: 'C1' }],
  },
  {
    name: 'formula-looking references: data, staged verbatim',
    file: 'customers.csv',
    content: customers(
      "=cmd|' /C calc'!A0,+1+1,@SUM(1),-2+3",
      '+1+1,a,b,c',
      '@SUM(1),a,b,c',
      '-2+3,a,b,c',
      '"=HYPERLINK(""http://x.invalid"",""y"")",a,b,c',
    ),
    outcome: staged('customers', 5, 5),
    codes: {},
    staged: [
      { line: 2, customerReference: "=cmd|' /C calc'!A0" },
      { line: 3, customerReference: '+1+1' },
      { line: 4, customerReference: '@SUM(1)' },
      { line: 5, customerReference: '-2+3' },
      { line: 6, customerReference: '=HYPERLINK("http://x.invalid","y")' },
    ],
  },
  {
    name: 'formula-looking numbers: rejected by the number rules',
    file: 'items.csv',
    content: bytesOf(`${HEADER.items}\nO1,=1+1,+1+1,=2\nO1,@SUM(1),-2+3,-2+3\n`),
    outcome: staged('items', 2, 0),
    codes: { VALUE_INVALID_INTEGER: 2, VALUE_INVALID_DECIMAL: 2 },
    firstError: {
      message: 'items.csv line 2: quantity "+1+1" must be an integer written in digits, such as 3',
      code: 'VALUE_INVALID_INTEGER',
      file: 'items.csv',
      line: 2,
      column: 'quantity',
      value: '+1+1',
    },
  },
  {
    name: 'exponents and quoted thousands separators',
    file: 'items.csv',
    content: bytesOf(
      `${HEADER.items}\nO1,pen,1e3,1\nO1,pen,1,1e3\nO1,pen,"1,000",1\nO1,pen,1,"1,000.50"\nO1,pen,1,1000.50\n`,
    ),
    outcome: staged('items', 5, 1),
    codes: { VALUE_INVALID_INTEGER: 2, VALUE_INVALID_DECIMAL: 2 },
    firstError: {
      message: 'items.csv line 2: quantity "1e3" must be an integer written in digits, such as 3',
      code: 'VALUE_INVALID_INTEGER',
      file: 'items.csv',
      line: 2,
      column: 'quantity',
      value: '1e3',
    },
    staged: [{ line: 6, orderReference: 'O1', amount: 1_000_500_000n }],
  },
  {
    name: '30-digit prices; the widest accepted one is exact',
    file: 'items.csv',
    content: bytesOf(
      `${HEADER.items}\nO1,pen,1,${'9'.repeat(30)}\nO1,pen,1,${'1'.repeat(15)}.${'9'.repeat(6)}\nO1,pen,1,0.${'1'.repeat(30)}\n`,
    ),
    outcome: staged('items', 3, 1),
    codes: { VALUE_OUT_OF_RANGE: 2 },
    firstError: {
      message: `items.csv line 2: total_price "${'9'.repeat(30)}" must have at most 15 integer digits and 6 decimals`,
      code: 'VALUE_OUT_OF_RANGE',
      file: 'items.csv',
      line: 2,
      column: 'total_price',
      value: '9'.repeat(30),
    },
    staged: [{ line: 3, orderReference: 'O1', amount: 111_111_111_111_111_999_999n }],
  },
  {
    name: 'negative and zero quantities',
    file: 'items.csv',
    content: bytesOf(
      `${HEADER.items}\nO1,pen,-1,1\nO1,pen,0,1\nO1,pen,-0,1\nO1,pen,000,1\nO1,pen,0001,1\n`,
    ),
    outcome: staged('items', 5, 1),
    codes: { VALUE_OUT_OF_RANGE: 4 },
    firstError: {
      message: 'items.csv line 2: quantity "-1" must be an integer >= 1',
      code: 'VALUE_OUT_OF_RANGE',
      file: 'items.csv',
      line: 2,
      column: 'quantity',
      value: '-1',
    },
    staged: [{ line: 6, orderReference: 'O1', amount: 1_000_000n }],
  },
  {
    name: 'timestamps past year 9999, negative, and at the bounds',
    file: 'orders.csv',
    content: bytesOf(
      `${HEADER.orders}\nO1,C1,new,253402300800\nO2,C1,new,-1\nO3,C1,new,253402300799\nO4,C1,new,0\nO5,C1,new,${'9'.repeat(20)}\n`,
    ),
    outcome: staged('orders', 5, 2),
    codes: { VALUE_OUT_OF_RANGE: 2, VALUE_INVALID_TIMESTAMP: 1 },
    firstError: {
      message:
        'orders.csv line 2: order_timestamp "253402300800" must be at most 253402300799 (year 9999)',
      code: 'VALUE_OUT_OF_RANGE',
      file: 'orders.csv',
      line: 2,
      column: 'order_timestamp',
      value: '253402300800',
    },
    staged: [
      { line: 4, orderReference: 'O3', customerReference: 'C1' },
      { line: 5, orderReference: 'O4', customerReference: 'C1' },
    ],
  },
  {
    name: '200,000 rows, all invalid: 1000 errors and one summary',
    file: 'items.csv',
    content: concatenated(
      `${HEADER.items}\n`,
      generatedLines(200_000, (index) => `O${index},pen,0,1`),
    ),
    outcome: staged('items', 200_000, 0),
    codes: { VALUE_OUT_OF_RANGE: 1000, TOO_MANY_ROW_ERRORS: 1 },
    firstError: {
      message: 'items.csv line 2: quantity "0" must be an integer >= 1',
      code: 'VALUE_OUT_OF_RANGE',
      file: 'items.csv',
      line: 2,
      column: 'quantity',
      value: '0',
    },
    lastError: {
      message: 'items.csv: 199000 more row errors were not reported, after the first 1000',
      code: 'TOO_MANY_ROW_ERRORS',
      file: 'items.csv',
    },
    staged: 0,
  },
  {
    name: 'the same 200,000 rows in 2 MiB segments: the cap counts across segments',
    file: 'items.csv',
    settings: { segmentBytes: 2 * MiB },
    content: concatenated(
      `${HEADER.items}\n`,
      generatedLines(200_000, (index) => `O${index},pen,0,1`),
    ),
    outcome: staged('items', 200_000, 0),
    codes: { VALUE_OUT_OF_RANGE: 1000, TOO_MANY_ROW_ERRORS: 1 },
    lastError: {
      message: 'items.csv: 199000 more row errors were not reported, after the first 1000',
      code: 'TOO_MANY_ROW_ERRORS',
      file: 'items.csv',
    },
    staged: 0,
    // Two segments: the second reads again the rest of the piece the first stopped in.
    maxBytesRead: 3_088_937 + CHUNK_BYTES,
  },
  {
    name: 'a cap of 5 row errors counts errors, not rows; valid rows go on',
    file: 'items.csv',
    settings: { maxRowErrors: 5 },
    content: concatenated(
      `${HEADER.items}\n`,
      generatedLines(20, (index) => (index % 2 === 0 ? `O${index},pen,0,x` : `O${index},pen,1,1`)),
    ),
    outcome: staged('items', 20, 10),
    codes: { VALUE_OUT_OF_RANGE: 3, VALUE_INVALID_DECIMAL: 2, TOO_MANY_ROW_ERRORS: 1 },
    lastError: {
      message: 'items.csv: 15 more row errors were not reported, after the first 5',
      code: 'TOO_MANY_ROW_ERRORS',
      file: 'items.csv',
    },
    staged: 10,
  },
  {
    name: 'a ZIP archive (PK\\x03\\x04 and deflated bytes)',
    file: 'items.csv',
    content: bytesOf(ZIP),
    outcome: rejected('items', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: {
      message:
        'items.csv line 1: the file is a ZIP archive (an Excel .xlsx workbook is one), not CSV text: upload the CSV itself, uncompressed',
      code: 'FILE_NOT_UTF8',
      file: 'items.csv',
      line: 1,
    },
  },
  {
    name: 'a gzip file',
    file: 'items.csv',
    content: bytesOf(gzipSync(Buffer.from(GOOD_FILES.items))),
    outcome: rejected('items', 'FILE_NOT_UTF8'),
    codes: { FILE_NOT_UTF8: 1 },
    firstError: {
      message:
        'items.csv line 1: the file is gzip-compressed, not CSV text: upload it uncompressed',
      code: 'FILE_NOT_UTF8',
      file: 'items.csv',
      line: 1,
    },
  },
  {
    name: 'CR-only line endings (old Mac)',
    file: 'customers.csv',
    content: bytesOf(GOOD_FILES.customers.replace(/\n/g, '\r')),
    outcome: rejected('customers', 'FILE_MALFORMED_CSV'),
    codes: { FILE_MALFORMED_CSV: 1 },
    firstError: {
      message:
        'customers.csv line 1: the line ends in a lone carriage return (CR), as old Mac files do: lines must end in LF or CRLF',
      code: 'FILE_MALFORMED_CSV',
      file: 'customers.csv',
      line: 1,
    },
    maxBytesRead: 1024,
  },
  {
    name: 'CR-only line endings in a 2 MB file: the same, not a too long line',
    file: 'customers.csv',
    content: concatenated(
      `${HEADER.customers}\r`,
      generatedLines(50_000, (index) => `C${index},Ada,Lovelace,active`, '\r'),
    ),
    outcome: rejected('customers', 'FILE_MALFORMED_CSV'),
    codes: { FILE_MALFORMED_CSV: 1 },
    firstError: {
      message:
        'customers.csv line 1: the line ends in a lone carriage return (CR), as old Mac files do: lines must end in LF or CRLF',
      code: 'FILE_MALFORMED_CSV',
      file: 'customers.csv',
      line: 1,
    },
    maxBytesRead: 128 * 1024,
  },
  {
    name: 'a lone CR inside a later line',
    file: 'customers.csv',
    content: customers('C1,Ada,L,active\rC2,Alan,T,active', 'C3,Eve,N,active'),
    outcome: staged('customers', 2, 1),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message:
        'customers.csv line 2: the row has 7 fields but the header has 4; it holds a carriage return (CR) that ends no line: lines must end in LF or CRLF',
      code: 'ROW_FIELD_COUNT',
      file: 'customers.csv',
      line: 2,
    },
    staged: [{ line: 3, customerReference: 'C3' }],
  },
  {
    name: 'mixed CRLF and LF line endings, no final line break',
    file: 'customers.csv',
    content: bytesOf(`${HEADER.customers}\r\nC1,Ada,L,active\nC2,Alan,T,active\r\nC3,Eve,N,active`),
    outcome: staged('customers', 3, 3),
    codes: {},
    staged: [
      { line: 2, customerReference: 'C1' },
      { line: 3, customerReference: 'C2' },
      { line: 4, customerReference: 'C3' },
    ],
  },
  {
    name: 'trailing commas: an unnamed column every row must have',
    file: 'customers.csv',
    content: bytesOf(`${HEADER.customers},\nC1,Ada,L,active,\nC2,Alan,T,active\n`),
    outcome: staged('customers', 2, 1),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message: 'customers.csv line 3: the row has 4 fields but the header has 5',
      code: 'ROW_FIELD_COUNT',
      file: 'customers.csv',
      line: 3,
    },
    staged: [{ line: 2, customerReference: 'C1' }],
  },
  {
    name: 'a row with too many fields',
    file: 'orders.csv',
    content: bytesOf(`${HEADER.orders}\nO1,C1,new,1700000000,surprise\nO2,C1,new,1700000000\n`),
    outcome: staged('orders', 2, 1),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message: 'orders.csv line 2: the row has 5 fields but the header has 4',
      code: 'ROW_FIELD_COUNT',
      file: 'orders.csv',
      line: 2,
    },
    staged: [{ line: 3, orderReference: 'O2', customerReference: 'C1' }],
  },
  {
    name: 'a row with too few fields',
    file: 'orders.csv',
    content: bytesOf(`${HEADER.orders}\nO1,C1,new,1700000000\nO2,C1\n`),
    outcome: staged('orders', 2, 1),
    codes: { ROW_FIELD_COUNT: 1 },
    firstError: {
      message: 'orders.csv line 3: the row has 2 fields but the header has 4',
      code: 'ROW_FIELD_COUNT',
      file: 'orders.csv',
      line: 3,
    },
    staged: [{ line: 2, orderReference: 'O1', customerReference: 'C1' }],
  },
  {
    name: 'a 100 KB reference: rejected row, the rest goes on',
    file: 'customers.csv',
    content: customers(`${LONG_REFERENCE},Ada,L,active`, 'C2,Alan,T,active'),
    outcome: staged('customers', 2, 1),
    codes: { VALUE_TOO_LONG: 1 },
    firstError: {
      message: `customers.csv line 2: customer_reference "${'R'.repeat(200)}…" is 102400 characters long; a reference may have at most ${MAX_REFERENCE_LENGTH}`,
      code: 'VALUE_TOO_LONG',
      file: 'customers.csv',
      line: 2,
      column: 'customer_reference',
      value: `${'R'.repeat(200)}…`,
    },
    staged: [{ line: 3, customerReference: 'C2' }],
  },
  {
    name: 'two 500 KB references in one line under 1 MiB: both rejected, nothing oversized staged',
    file: 'orders.csv',
    content: concatenated(
      `${HEADER.orders}\n`,
      repeatedCharacter('o', 500_000),
      ',',
      repeatedCharacter('c', 500_000),
      ',new,1700000000\nO2,C1,new,1700000000\n',
    ),
    outcome: staged('orders', 2, 1),
    codes: { VALUE_TOO_LONG: 2 },
    firstError: {
      message: `orders.csv line 2: order_reference "${'o'.repeat(200)}…" is 500000 characters long; a reference may have at most ${MAX_REFERENCE_LENGTH}`,
      code: 'VALUE_TOO_LONG',
      file: 'orders.csv',
      line: 2,
      column: 'order_reference',
      value: `${'o'.repeat(200)}…`,
    },
    staged: [{ line: 3, orderReference: 'O2', customerReference: 'C1' }],
  },
  {
    name: 'a reference of exactly 1000 characters with a quoted line break',
    file: 'customers.csv',
    content: customers(`"${'r'.repeat(499)}\n${'r'.repeat(500)}",Ada,L,active`, 'C2,Alan,T,active'),
    outcome: staged('customers', 2, 2),
    codes: {},
    staged: [
      { line: 2, customerReference: `${'r'.repeat(499)}\n${'r'.repeat(500)}` },
      { line: 4, customerReference: 'C2' },
    ],
  },
  {
    name: 'NFC and NFD spellings of one reference: two references, verbatim',
    file: 'customers.csv',
    content: customers('Ren\u00e9e,A,B,active', 'Rene\u0301e,A,B,active'),
    outcome: staged('customers', 2, 2),
    codes: {},
    staged: [
      { line: 2, customerReference: 'Ren\u00e9e' },
      { line: 3, customerReference: 'Rene\u0301e' },
    ],
  },
  {
    name: 'emoji, ZWJ sequences and flags',
    file: 'customers.csv',
    content: customers('🎉,A,B,active', '👨‍👩‍👧,A,B,active', 'C🏳️‍🌈,🦄,B,active'),
    outcome: staged('customers', 3, 3),
    codes: {},
    staged: [
      { line: 2, customerReference: '🎉' },
      { line: 3, customerReference: '👨‍👩‍👧' },
      { line: 4, customerReference: 'C🏳️‍🌈' },
    ],
  },
  {
    name: 'right-to-left text and a right-to-left override',
    file: 'customers.csv',
    content: customers('عميل-1,أحمد,B,active', 'לקוח,A,B,פעיל', '\u202Eevil.csv,A,B,active'),
    outcome: staged('customers', 3, 3),
    codes: {},
    staged: [
      { line: 2, customerReference: 'عميل-1' },
      { line: 3, customerReference: 'לקוח' },
      { line: 4, customerReference: '\u202Eevil.csv' },
    ],
  },
  {
    name: 'a key that is not a batch file',
    file: 'incoming/hostile/notes.txt',
    content: bytesOf(GOOD_FILES.customers),
    outcome: { status: 'rejected-key', key: 'incoming/hostile/notes.txt' },
    codes: { KEY_INVALID: 1 },
    firstError: {
      message:
        'The object key "incoming/hostile/notes.txt" does not end in .csv (in lower case); expected incoming/<batch-id>/<customers|orders|items>*.csv',
      code: 'KEY_INVALID',
      file: 'notes.txt',
    },
    maxBytesRead: 0,
  },
  {
    name: 'an object over maxObjectBytes: rejected unread',
    file: 'customers.csv',
    settings: { maxObjectBytes: 4096 },
    content: concatenated(`${HEADER.customers}\n`, TOO_LARGE),
    outcome: rejected('customers', 'FILE_TOO_LARGE'),
    codes: { FILE_TOO_LARGE: 1 },
    firstError: {
      message: `customers.csv is ${sizeOf(TOO_LARGE) + HEADER.customers.length + 1} bytes; the limit is 4096 bytes`,
      code: 'FILE_TOO_LARGE',
      file: 'customers.csv',
      value: String(sizeOf(TOO_LARGE) + HEADER.customers.length + 1),
    },
    maxBytesRead: 0,
  },
];

interface Measurement {
  readonly name: string;
  readonly bytes: number;
  readonly codes: string;
  readonly ms: number;
  readonly heapMiB: number;
}
const measurements: Measurement[] = [];

const keyOf = (file: string): string =>
  file.startsWith('incoming') ? file : `incoming/${BATCH}/${file}`;

const countOf = (codes: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

const stagedRowsOf = (store: InMemoryStagingStore, key: string, kind: FileKind) =>
  [...store.chunks.values()]
    .filter((chunk) => chunk.key === key)
    .sort((a, b) => a.index - b.index)
    .flatMap((chunk) => decodeStagedRows(kind, chunk.rows));

describe('hostile and broken input', () => {
  afterAll(() => {
    // `TALLY_CORPUS_REPORT=1 npx nx test ingest --skip-nx-cache` prints the table of docs/limits.md.
    if (process.env['TALLY_CORPUS_REPORT'] === undefined) return;
    const rows = measurements.map(
      (m) =>
        `| ${m.name} | ${m.bytes.toLocaleString('en')} | ${m.codes} | ${m.ms.toFixed(0)} | ${m.heapMiB.toFixed(1)} |`,
    );
    process.stdout.write(
      `| Input | Bytes | Codes | ms | Retained heap peak (MiB) |\n| --- | ---: | --- | ---: | ---: |\n${rows.join('\n')}\n`,
    );
  });

  it.each(CASES)(
    '$name',
    async (hostile) => {
      // The report gives the exact retained peak: a budget of 0 collects at every sample.
      const heap = new HeapPeak(
        process.env['TALLY_CORPUS_REPORT'] === undefined ? MAX_HEAP_GROWTH_MIB : 0,
      );
      const source = new GeneratedObjectSource(() => heap.sample());
      const store = new InMemoryStagingStore();
      const sink = new RecordingMessageSink();
      const aggregation = new RecordingAggregationRequests();
      const dependencies = {
        source,
        store,
        sink,
        aggregation,
        validators: createRowValidators(),
        manifestValidator: createBatchManifestValidator(),
      };
      const settings = { ...PRODUCTION, ...hostile.settings };
      const key = keyOf(hostile.file);
      const location = source.put(key, hostile.content);

      heap.reset();
      const started = performance.now();
      const outcome = await ingestFile(location, dependencies, settings);
      const ms = performance.now() - started - heap.collectingMs;
      const heapMiB = heap.growthMiB();

      const errors = sink.bodies() as ErrorMessage[];
      measurements.push({
        name: hostile.name,
        bytes: location.size,
        codes: Object.entries(countOf(errors.map((error) => error.code)))
          .map(([code, count]) => (count === 1 ? code : `${code} ×${count}`))
          .join(', '),
        ms,
        heapMiB,
      });

      expect(outcome).toEqual(hostile.outcome);
      expect(countOf(errors.map((error) => error.code))).toEqual(hostile.codes);
      const batchOf = { type: 'error_message', batch_id: BATCH };
      if (hostile.firstError) expect(errors[0]).toEqual({ ...batchOf, ...hostile.firstError });
      if (hostile.lastError) expect(errors.at(-1)).toEqual({ ...batchOf, ...hostile.lastError });
      for (const error of errors) {
        expect(error.message).toContain(error.file);
        if (error.line !== undefined) expect(error.message).toContain(`line ${error.line}`);
      }
      for (const message of sink.messages) {
        expect(Buffer.byteLength(message.body)).toBeLessThan(MAX_SQS_MESSAGE_BYTES);
      }
      for (const chunk of store.chunks.values()) {
        expect(Buffer.byteLength(chunk.rows)).toBeLessThanOrEqual(DYNAMODB_MAX_CHUNK_BYTES);
      }
      expect(source.bytesRead).toBeLessThanOrEqual(hostile.maxBytesRead ?? location.size);
      expect(heapMiB).toBeLessThanOrEqual(MAX_HEAP_GROWTH_MIB);

      if ('kind' in outcome && outcome.kind !== 'manifest' && hostile.staged !== undefined) {
        const rows = stagedRowsOf(store, key, outcome.kind);
        if (typeof hostile.staged === 'number') expect(rows).toHaveLength(hostile.staged);
        else expect(rows).toEqual(hostile.staged);
      }

      if (outcome.status === 'rejected-file' || outcome.status === 'rejected-key') {
        // The rejected file has no rows that count, and corrected uploads complete the batch.
        const recorded = store.stateOf(BATCH)?.files.find((file) => file.key === key);
        const rejectedKind = parseBatchKey(key, PRODUCTION.inputPrefix);
        if (rejectedKind.success) expect(recorded).toMatchObject({ status: 'rejected' });
        const corrected = (['customers', 'orders', 'items'] as const).map((kind) =>
          source.put(
            rejectedKind.success && rejectedKind.data.kind === kind ? key : keyOf(`${kind}.csv`),
            bytesOf(GOOD_FILES[kind]),
            '0B',
          ),
        );
        for (const upload of corrected) {
          expect(await ingestFile(upload, dependencies, settings)).toMatchObject({
            status: 'staged',
            rejected: 0,
          });
        }
        expect(aggregation.requests).toEqual([
          { type: 'batch_ready', batch_id: BATCH, revision: 1 },
        ]);
      }
    },
    30_000,
  );

  it('holds at least 30 inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });
});
