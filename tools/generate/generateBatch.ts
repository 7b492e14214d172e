import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorCode, FileKind } from '@tally/domain';
import { FILE_KINDS, REQUIRED_COLUMNS } from '@tally/domain';
import { createSeededRandom } from './seededRandom';
import type { SeededRandom } from './seededRandom';
import { writeTextStream } from './writeTextStream';

/** What to generate. Counts are data rows per file (the header not counted). */
export interface GenerateBatchOptions {
  /** Folder to write `customers.csv`, `orders.csv` and `items.csv` to; it must exist. */
  readonly outDir: string;
  readonly customers: number;
  readonly orders: number;
  readonly items: number;
  /** Same seed, same sizes and same error rate: the same bytes. */
  readonly seed: number;
  /**
   * Share of rows (0 to 1, default 0) replaced by a bad row of a known kind, see
   * {@link INJECTED_PROBLEMS}. Decided by a second generator, so the rows that stay good are
   * the same at any rate.
   */
  readonly errorRate?: number;
  /**
   * Another version of the items file of the same batch (default 0, the first): variant n > 0
   * draws its items from its own seeded streams, so customers.csv and orders.csv are the same
   * bytes in every variant and items.csv differs.
   */
  readonly itemsVariant?: number;
  /**
   * Share of orders (0 to 1, default 0) left out of orders.csv, picked by a stream of their own:
   * the other rows of every file stay the same bytes, and the items of a left-out order become
   * orphans (`ORPHAN_ITEM`), as when a corrected orders file drops orders.
   */
  readonly dropOrderShare?: number;
}

/** The bench's batch: about 43 MB, 1.3 million rows. */
export const DEFAULT_BATCH_SIZE = { customers: 50_000, orders: 250_000, items: 1_000_000 } as const;

/**
 * The bad rows `errorRate` injects, per file, taken in turn (the first row picked gets the first
 * kind, the next one the second, …). A picked row replaces the good row it would have been, so
 * that customer or order does not exist for the rest of the batch:
 *
 * - customers: an empty `customer_reference` (`VALUE_REQUIRED`); a row of 3 fields
 *   (`ROW_FIELD_COUNT`); the reference of the last accepted customer again
 *   (`DUPLICATE_REFERENCE` at aggregation: the row is staged, then excluded; before any accepted
 *   customer, `VALUE_REQUIRED` instead).
 * - orders: `order_timestamp` `17e8` (`VALUE_INVALID_TIMESTAMP`); an empty `order_status`
 *   (`VALUE_REQUIRED`); the reference of the last accepted order again (`DUPLICATE_REFERENCE` at
 *   aggregation, the first line winning; before any accepted order, `VALUE_INVALID_TIMESTAMP`);
 *   a valid row whose customer `CX…` does not exist (`ORPHAN_ORDER` at aggregation: the order
 *   is staged, then excluded with its items).
 * - items: `quantity` `0` (`VALUE_OUT_OF_RANGE`); `total_price` `-4.99`
 *   (`VALUE_INVALID_DECIMAL`); a valid row whose order `OX…` does not exist (`ORPHAN_ITEM`).
 *
 * Knock-on effects are counted too: an order of a missing customer is an `ORPHAN_ORDER`, an
 * item of a rejected order an `ORPHAN_ITEM`, and an item of an orphan order is excluded without
 * an error of its own. Every bad row breaks exactly one rule, so it gives exactly one error.
 */
export const INJECTED_PROBLEMS = {
  customers: ['VALUE_REQUIRED', 'ROW_FIELD_COUNT', 'DUPLICATE_REFERENCE'],
  orders: ['VALUE_INVALID_TIMESTAMP', 'VALUE_REQUIRED', 'DUPLICATE_REFERENCE', 'ORPHAN_ORDER'],
  items: ['VALUE_OUT_OF_RANGE', 'VALUE_INVALID_DECIMAL', 'ORPHAN_ITEM'],
} as const satisfies { readonly [K in FileKind]: readonly ErrorCode[] };

/** One expected `customer_message`. */
export interface ExpectedCustomer {
  readonly customerReference: string;
  readonly numberOfOrders: number;
  /** Exact, in millionths, like the domain's `Amount`. */
  readonly totalAmountSpent: bigint;
}

/** One written file. */
export interface GeneratedFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  /** Data rows, the header not counted. */
  readonly rows: number;
}

/** What the pipeline must output for the generated batch. */
export interface ExpectedBatch {
  readonly seed: number;
  readonly errorRate: number;
  readonly files: { readonly [K in FileKind]: GeneratedFile };
  /** One per accepted customer, in file order. */
  readonly customers: readonly ExpectedCustomer[];
  /** Rows ingest rejects per file: one row error each (before `TALLY_MAX_ROW_ERRORS` applies). */
  readonly rejectedRows: { readonly [K in FileKind]: number };
  /** Referential errors the aggregator reports, before its cap per file applies. */
  readonly orphanOrders: number;
  readonly orphanItems: number;
  /** Rows repeating an earlier row's reference: staged, then reported by the aggregator. */
  readonly duplicateReferences: { readonly customers: number; readonly orders: number };
  /** Every expected error, by code, row errors uncapped. */
  readonly errorCodes: Readonly<Partial<Record<ErrorCode, number>>>;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton'];
const CUSTOMER_STATUSES = ['active', 'inactive', 'suspended'];
const ORDER_STATUSES = ['completed', 'pending', 'shipped', 'cancelled', 'refunded'];
/** Written as CSV: two need quotes (a comma, a doubled quote), like real exports. */
const ITEM_NAMES = [
  'Pencil HB x12',
  'Spiral notebook',
  'Desk lamp',
  'Mouse pad',
  'Heavy stapler',
  '"Cable, USB-C"',
  '"27"" Monitor"',
  'Coffee mug',
  'Ring binder A4',
  'Sticky notes',
];
const FIRST_TIMESTAMP = 1_600_000_000;
const TIMESTAMP_SPAN = 200_000_000;
/** Prices from 0.01 to 200.00. */
const MAX_PRICE_CENTS = 20_000;
const MILLIONTHS_PER_CENT = 10_000n;
/** Decorrelates the error stream from the data stream of the same seed. */
const ERROR_SEED_SALT = 0x9e3779b9;
/** Decorrelates an items variant's streams, and the stream that drops orders. */
const VARIANT_SEED_SALT = 0x2545f491;
const DROP_SEED_SALT = 0x68e31da4;

const customerReference = (index: number) => `C${String(index + 1).padStart(7, '0')}`;
const orderReference = (index: number) => `O${String(index + 1).padStart(8, '0')}`;
/** Never a real reference: real ones are digits after the letter. */
const missingCustomerReference = (index: number) => `CX${String(index + 1).padStart(7, '0')}`;
const missingOrderReference = (index: number) => `OX${String(index + 1).padStart(8, '0')}`;

/** `12`, `12.5` or `12.34`: the shortest form, so all three shapes occur. */
const priceText = (cents: number): string => {
  const units = Math.floor(cents / 100);
  const fraction = cents % 100;
  if (fraction === 0) return String(units);
  if (fraction % 10 === 0) return `${units}.${fraction / 10}`;
  return `${units}.${String(fraction).padStart(2, '0')}`;
};

/** Where a batch being generated stands: what the files written so far mean. */
interface BatchState {
  random: SeededRandom;
  errors: SeededRandom;
  /** Picks the orders left out of orders.csv (`dropOrderShare`). */
  readonly drops: SeededRandom;
  readonly dropOrderShare: number;
  readonly errorRate: number;
  readonly injected: { [K in FileKind]: number };
  readonly errorCodes: Partial<Record<ErrorCode, number>>;
  readonly rejectedRows: { [K in FileKind]: number };
  readonly duplicateReferences: { customers: number; orders: number };
  /** Per customer index: accepted (kept its reference)? */
  readonly customerAccepted: Uint8Array;
  /** Per order index: the customer index it counts for, -1 for an orphan, -2 when rejected. */
  readonly orderCustomer: Int32Array;
  readonly numberOfOrders: Uint32Array;
  readonly totalCents: Float64Array;
  orphanOrders: number;
  orphanItems: number;
}

const ORPHAN = -1;
const REJECTED = -2;
/** An order left out of orders.csv: its good items are orphans. */
const DROPPED = -3;

const count = (state: BatchState, code: ErrorCode): void => {
  state.errorCodes[code] = (state.errorCodes[code] ?? 0) + 1;
};

/** The next injected problem for `kind`, or `undefined` when this row stays good. */
const injectedProblem = <K extends FileKind>(
  state: BatchState,
  kind: K,
): (typeof INJECTED_PROBLEMS)[K][number] | undefined => {
  if (!state.errors.chance(state.errorRate)) return undefined;
  const problems: readonly (typeof INJECTED_PROBLEMS)[K][number][] = INJECTED_PROBLEMS[kind];
  return problems[state.injected[kind]++ % problems.length];
};

function* customerLines(state: BatchState, customers: number): Generator<string> {
  const { random } = state;
  yield `${REQUIRED_COLUMNS.customers.join(',')}\n`;
  let lastAccepted: string | undefined;
  for (let index = 0; index < customers; index++) {
    const reference = customerReference(index);
    const names = `${random.pick(FIRST_NAMES)},${random.pick(LAST_NAMES)}`;
    const status = random.pick(CUSTOMER_STATUSES);
    let problem = injectedProblem(state, 'customers');
    if (problem === 'DUPLICATE_REFERENCE' && lastAccepted === undefined) problem = 'VALUE_REQUIRED';
    if (problem === undefined) {
      state.customerAccepted[index] = 1;
      lastAccepted = reference;
      yield `${reference},${names},${status}\n`;
      continue;
    }
    if (problem === 'DUPLICATE_REFERENCE') state.duplicateReferences.customers++;
    else state.rejectedRows.customers++;
    count(state, problem);
    if (problem === 'VALUE_REQUIRED') yield `,${names},${status}\n`;
    else if (problem === 'ROW_FIELD_COUNT') yield `${reference},${names}\n`;
    else yield `${lastAccepted},${names},${status}\n`;
  }
}

function* orderLines(state: BatchState, customers: number, orders: number): Generator<string> {
  const { random } = state;
  yield `${REQUIRED_COLUMNS.orders.join(',')}\n`;
  let lastAccepted: string | undefined;
  for (let index = 0; index < orders; index++) {
    const reference = orderReference(index);
    const customer = random.below(customers);
    const status = random.pick(ORDER_STATUSES);
    const timestamp = FIRST_TIMESTAMP + random.below(TIMESTAMP_SPAN);
    let problem = injectedProblem(state, 'orders');
    // Every draw above is made for a left-out order too, so the other rows stay the same bytes.
    if (state.dropOrderShare > 0 && state.drops.chance(state.dropOrderShare)) {
      state.orderCustomer[index] = DROPPED;
      continue;
    }
    if (problem === 'DUPLICATE_REFERENCE' && lastAccepted === undefined) {
      problem = 'VALUE_INVALID_TIMESTAMP';
    }
    if (problem === undefined || problem === 'ORPHAN_ORDER') {
      // Staged by ingest; the aggregator decides whether its customer exists.
      lastAccepted = reference;
      const counted = problem === undefined && state.customerAccepted[customer] === 1;
      state.orderCustomer[index] = counted ? customer : ORPHAN;
      if (counted) state.numberOfOrders[customer]!++;
      else {
        state.orphanOrders++;
        count(state, 'ORPHAN_ORDER');
      }
      const customerText =
        problem === undefined ? customerReference(customer) : missingCustomerReference(index);
      yield `${reference},${customerText},${status},${timestamp}\n`;
      continue;
    }
    state.orderCustomer[index] = REJECTED;
    if (problem === 'DUPLICATE_REFERENCE') state.duplicateReferences.orders++;
    else state.rejectedRows.orders++;
    count(state, problem);
    if (problem === 'VALUE_INVALID_TIMESTAMP') {
      yield `${reference},${customerReference(customer)},${status},17e8\n`;
    } else if (problem === 'VALUE_REQUIRED') {
      yield `${reference},${customerReference(customer)},,${timestamp}\n`;
    } else {
      yield `${lastAccepted},${customerReference(customer)},${status},${timestamp}\n`;
    }
  }
}

function* itemLines(state: BatchState, orders: number, items: number): Generator<string> {
  const { random } = state;
  yield `${REQUIRED_COLUMNS.items.join(',')}\n`;
  for (let index = 0; index < items; index++) {
    const order = random.below(orders);
    const name = random.pick(ITEM_NAMES);
    const quantity = 1 + random.below(5);
    const cents = 1 + random.below(MAX_PRICE_CENTS);
    const problem = injectedProblem(state, 'items');
    if (problem === undefined) {
      const customer = state.orderCustomer[order] ?? REJECTED;
      if (customer >= 0) state.totalCents[customer]! += cents;
      else if (customer === REJECTED || customer === DROPPED) {
        state.orphanItems++;
        count(state, 'ORPHAN_ITEM');
      }
      yield `${orderReference(order)},${name},${quantity},${priceText(cents)}\n`;
      continue;
    }
    if (problem === 'ORPHAN_ITEM') {
      state.orphanItems++;
      count(state, problem);
      yield `${missingOrderReference(index)},${name},${quantity},${priceText(cents)}\n`;
      continue;
    }
    state.rejectedRows.items++;
    count(state, problem);
    if (problem === 'VALUE_OUT_OF_RANGE') {
      yield `${orderReference(order)},${name},0,${priceText(cents)}\n`;
    } else {
      yield `${orderReference(order)},${name},${quantity},-4.99\n`;
    }
  }
}

const assertCount = (name: string, value: number, minimum: number): void => {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be a whole number >= ${minimum}, got ${value}`);
  }
};

/**
 * Writes a seeded batch (`customers.csv`, `orders.csv`, `items.csv`) to `outDir`, streaming,
 * and returns what Tally must make of it: the exact `customer_message` of every accepted
 * customer and the count of every error, computed while the rows are written.
 *
 * Orders pick their customer, and items their order, uniformly at random, so a few customers
 * have no orders and a few orders no items. Prices run from `0.01` to `200` with at most two
 * decimals, written in their shortest form (`12`, `12.5`, `12.34`); two item names are quoted.
 * Memory is a few bytes per customer and per order, whatever the item count.
 *
 * @example
 * ```ts
 * const expected = await generateBatch({ outDir, customers: 5, orders: 20, items: 80, seed: 1 });
 * expected.customers[0]; // { customerReference: 'C0000001', numberOfOrders: 3, totalAmountSpent: 412_350_000n }
 * ```
 */
export const generateBatch = async (options: GenerateBatchOptions): Promise<ExpectedBatch> => {
  const { outDir, customers, orders, items, seed } = options;
  const errorRate = options.errorRate ?? 0;
  const itemsVariant = options.itemsVariant ?? 0;
  const dropOrderShare = options.dropOrderShare ?? 0;
  assertCount('customers', customers, 1);
  assertCount('orders', orders, 1);
  assertCount('items', items, 0);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(errorRate >= 0 && errorRate <= 1)) {
    throw new RangeError(`errorRate must be between 0 and 1, got ${errorRate}`);
  }
  assertCount('itemsVariant', itemsVariant, 0);
  if (!(dropOrderShare >= 0 && dropOrderShare <= 1)) {
    throw new RangeError(`dropOrderShare must be between 0 and 1, got ${dropOrderShare}`);
  }

  const state: BatchState = {
    random: createSeededRandom(seed),
    errors: createSeededRandom(seed ^ ERROR_SEED_SALT),
    drops: createSeededRandom(seed ^ DROP_SEED_SALT),
    dropOrderShare,
    errorRate,
    injected: { customers: 0, orders: 0, items: 0 },
    errorCodes: {},
    rejectedRows: { customers: 0, orders: 0, items: 0 },
    duplicateReferences: { customers: 0, orders: 0 },
    customerAccepted: new Uint8Array(customers),
    orderCustomer: new Int32Array(orders),
    numberOfOrders: new Uint32Array(customers),
    // Whole cents: exact in a double up to 2^53, i.e. 45 billion 200.00 items per customer.
    totalCents: new Float64Array(customers),
    orphanOrders: 0,
    orphanItems: 0,
  };
  const lines: { readonly [K in FileKind]: () => Iterable<string> } = {
    customers: () => customerLines(state, customers),
    orders: () => orderLines(state, customers, orders),
    items: () => {
      if (itemsVariant > 0) {
        const salt = VARIANT_SEED_SALT * itemsVariant;
        state.random = createSeededRandom(seed ^ salt);
        state.errors = createSeededRandom(seed ^ ERROR_SEED_SALT ^ salt);
      }
      return itemLines(state, orders, items);
    },
  };
  const rows = { customers, orders, items };
  const files: Partial<Record<FileKind, GeneratedFile>> = {};
  // In this order: each file's meaning depends on the ones before it.
  for (const kind of FILE_KINDS) {
    const name = `${kind}.csv`;
    const path = join(outDir, name);
    await writeTextStream(path, lines[kind]());
    files[kind] = { name, path, bytes: (await stat(path)).size, rows: rows[kind] };
  }

  const expectedCustomers: ExpectedCustomer[] = [];
  for (let index = 0; index < customers; index++) {
    if (state.customerAccepted[index] !== 1) continue;
    expectedCustomers.push({
      customerReference: customerReference(index),
      numberOfOrders: state.numberOfOrders[index] ?? 0,
      totalAmountSpent: BigInt(state.totalCents[index] ?? 0) * MILLIONTHS_PER_CENT,
    });
  }
  return {
    seed,
    errorRate,
    files: files as ExpectedBatch['files'],
    customers: expectedCustomers,
    rejectedRows: state.rejectedRows,
    orphanOrders: state.orphanOrders,
    orphanItems: state.orphanItems,
    duplicateReferences: state.duplicateReferences,
    errorCodes: state.errorCodes,
  };
};
