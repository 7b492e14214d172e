import { TallyUsageError } from '../errors/TallyUsageError';
import type { Amount, CustomerMessage, ErrorMessage } from '../messages/outputMessageTypes';
import { forEachStagedItem } from '../staging/stagedRowCodec';
import type { StagedCustomer, StagedItem, StagedOrder } from '../staging/stagedRowTypes';
import { ReferentialErrors } from './ReferentialErrors';
import { referentialProblems } from './referentialProblems';

/** What a {@link BatchAggregation} needs to know about its batch. */
export interface BatchAggregationInput {
  readonly batchId: string;
  /**
   * How many referential errors (orphans, repeated references) to report per file before one
   * `TOO_MANY_REFERENTIAL_ERRORS` summary replaces the rest (`TALLY_MAX_ROW_ERRORS`).
   */
  readonly maxErrorsPerFile: number;
}

/** The messages of an aggregated batch. */
export interface BatchAggregationResult {
  /** One per accepted customer, in the order the customers were added. */
  readonly customers: CustomerMessage[];
  /**
   * Orphan orders and items, and repeated references: file by file in the order the files were
   * added, per file the `maxErrorsPerFile` with the lowest lines (by line), then one summary
   * when the file had more.
   */
  readonly errors: ErrorMessage[];
}

/** The customer number of an orphan order. */
const ORPHAN = -1;

/** Where the aggregation stands: rows must arrive customers first, then orders, then items. */
const STAGE_OF = { customers: 0, orders: 1, items: 2, finished: 3 } as const;
type Stage = keyof typeof STAGE_OF;

/**
 * Joins a batch's staged customers, orders and items (a hash join: time and memory linear in
 * rows) into one `customer_message` per accepted customer and `error_message`s for rows that
 * reference nothing.
 *
 * - Every customer gets a message, also one with no orders (`0` orders, amount `0`).
 * - `number_of_orders` counts the customer's orders whatever their status; `total_amount_spent`
 *   is the exact sum of the amounts of those orders' items. Orders without items add 0.
 * - An order whose customer is unknown is an `ORPHAN_ORDER`; it and its items are left out,
 *   the items without errors of their own (the order's error says so).
 * - An item whose order is unknown is an `ORPHAN_ITEM`.
 * - A reference added twice is a `DUPLICATE_REFERENCE`; the first row added wins. Ingest
 *   rejects duplicates within a file, so this finds those across the parts of a kind.
 * - Past `maxErrorsPerFile` errors in one file, only those with the lowest lines are reported
 *   (whatever order the rows came in), and one `TOO_MANY_REFERENTIAL_ERRORS` message per such
 *   file says how many were left out (see {@link ReferentialErrors}).
 *
 * Every row is added with the name of the file it comes from (a kind may come in parts).
 * Add all customers, then all orders, then all items (one by one or in arrays), then call
 * `finish` once; any other order throws {@link TallyUsageError}, because a row added late would
 * be joined wrongly.
 *
 * @example
 * ```ts
 * const aggregation = new BatchAggregation({ batchId: 'b1', maxErrorsPerFile: 1000 });
 * aggregation.addCustomer({ line: 2, customerReference: 'C1' }, 'customers.csv');
 * aggregation.addOrder({ line: 2, orderReference: 'O1', customerReference: 'C1' }, 'orders.csv');
 * aggregation.addItem({ line: 2, orderReference: 'O1', amount: 300_000n }, 'items.csv');
 * aggregation.finish().customers;
 * // [{ type: 'customer_message', customer_reference: 'C1', number_of_orders: 1, total_amount_spent: 300_000n }]
 * ```
 */
export class BatchAggregation {
  /** The files rows came from, in the order first seen; rows point into it by number. */
  private readonly fileNames: string[] = [];
  private readonly problems: ReferentialErrors;
  // Customers and orders are numbered in the order they are added, and their data kept in
  // arrays by number: an item's join then costs one map lookup and two array reads, with no
  // object to chase, which matters at a million items.
  /** Each accepted customer's number, by reference, in the order they were added. */
  private readonly customerNumbers = new Map<string, number>();
  private readonly customerLines: number[] = [];
  private readonly customerFiles: number[] = [];
  private readonly orderCounts: number[] = [];
  /**
   * The amount each customer spent is `spentBelow2To53 + spentBeyond`: item amounts are summed
   * as Numbers while every operand and the sum are safe integers (below 2^53 in magnitude, so
   * each sum is exact), and moved into the bigint when a sum would not be. This spares a bigint
   * allocation per item.
   */
  private readonly spentBelow2To53: number[] = [];
  /** Only customers whose sum left the safe integers have an entry. */
  private readonly spentBeyond = new Map<number, Amount>();
  /** Each accepted order's number, by reference. */
  private readonly orderNumbers = new Map<string, number>();
  private readonly orderLines: number[] = [];
  private readonly orderFiles: number[] = [];
  /** Each accepted order's customer number; {@link ORPHAN} for an orphan order, whose items are skipped. */
  private readonly orderCustomers: number[] = [];
  private stage: Stage = 'customers';
  /** The file of the items being added. */
  private itemFile = '';

  constructor(input: BatchAggregationInput) {
    this.problems = new ReferentialErrors(input.batchId, input.maxErrorsPerFile);
  }

  /** Adds an accepted customer of `file`. */
  addCustomer(customer: StagedCustomer, file: string): void {
    this.enter('customers', 'addCustomer');
    this.joinCustomer(customer, this.fileNumberOf(file));
  }

  /** Adds accepted customers of `file`, in order: as {@link addCustomer} does one by one. */
  addCustomers(customers: readonly StagedCustomer[], file: string): void {
    this.enter('customers', 'addCustomers');
    const fileNumber = this.fileNumberOf(file);
    for (const customer of customers) this.joinCustomer(customer, fileNumber);
  }

  /** Adds an accepted order of `file`; call after the last customer. */
  addOrder(order: StagedOrder, file: string): void {
    this.enter('orders', 'addOrder');
    this.joinOrder(order, this.fileNumberOf(file));
  }

  /** Adds accepted orders of `file`, in order: as {@link addOrder} does one by one. */
  addOrders(orders: readonly StagedOrder[], file: string): void {
    this.enter('orders', 'addOrders');
    const fileNumber = this.fileNumberOf(file);
    for (const order of orders) this.joinOrder(order, fileNumber);
  }

  /** Adds an accepted item of `file`; call after the last order. */
  addItem(item: StagedItem, file: string): void {
    this.enter('items', 'addItem');
    this.itemFile = file;
    this.joinItem(item.line, item.orderReference, item.amount);
  }

  /** Adds accepted items of `file`, in order: as {@link addItem} does one by one. */
  addItems(items: readonly StagedItem[], file: string): void {
    this.enter('items', 'addItems');
    this.itemFile = file;
    for (const item of items) this.joinItem(item.line, item.orderReference, item.amount);
  }

  /**
   * Adds the accepted items of one staged chunk of `file`, as
   * `addItems(decodeStagedRows('items', text), file)` does, but without an object per item: at a
   * million items that garbage was a large share of the aggregator's time. Throws
   * `StagedRowsCorruptError` as `decodeStagedRows` does; the items before the corrupt row are
   * then added.
   */
  addStagedItems(text: string, file: string): void {
    this.enter('items', 'addStagedItems');
    this.itemFile = file;
    forEachStagedItem(text, this.joinItemOf);
  }

  /** Ends the aggregation and returns its messages; call once. */
  finish(): BatchAggregationResult {
    this.enter('finished', 'finish');
    const customers: CustomerMessage[] = [];
    for (const [customerReference, customer] of this.customerNumbers) {
      customers.push({
        type: 'customer_message',
        customer_reference: customerReference,
        number_of_orders: this.orderCounts[customer] ?? 0,
        total_amount_spent:
          BigInt(this.spentBelow2To53[customer] ?? 0) + (this.spentBeyond.get(customer) ?? 0n),
      });
    }
    return { customers, errors: this.problems.messages(this.fileNames) };
  }

  private joinCustomer(customer: StagedCustomer, fileNumber: number): void {
    const first = this.customerNumbers.get(customer.customerReference);
    if (first !== undefined) {
      this.problems.add(
        referentialProblems.duplicate(
          this.fileNames[fileNumber] ?? '',
          customer.line,
          'customer_reference',
          customer.customerReference,
          {
            line: this.customerLines[first] ?? 0,
            file: this.fileNames[this.customerFiles[first] ?? fileNumber] ?? '',
          },
        ),
      );
      return;
    }
    this.customerNumbers.set(customer.customerReference, this.customerLines.length);
    this.customerLines.push(customer.line);
    this.customerFiles.push(fileNumber);
    this.orderCounts.push(0);
    this.spentBelow2To53.push(0);
  }

  private joinOrder(order: StagedOrder, fileNumber: number): void {
    const first = this.orderNumbers.get(order.orderReference);
    if (first !== undefined) {
      this.problems.add(
        referentialProblems.duplicate(
          this.fileNames[fileNumber] ?? '',
          order.line,
          'order_reference',
          order.orderReference,
          {
            line: this.orderLines[first] ?? 0,
            file: this.fileNames[this.orderFiles[first] ?? fileNumber] ?? '',
          },
        ),
      );
      return;
    }
    const customer = this.customerNumbers.get(order.customerReference) ?? ORPHAN;
    this.orderNumbers.set(order.orderReference, this.orderLines.length);
    this.orderLines.push(order.line);
    this.orderFiles.push(fileNumber);
    this.orderCustomers.push(customer);
    if (customer === ORPHAN) {
      this.problems.add(
        referentialProblems.orphanOrder(
          this.fileNames[fileNumber] ?? '',
          order.line,
          order.customerReference,
        ),
      );
      return;
    }
    this.orderCounts[customer] = (this.orderCounts[customer] ?? 0) + 1;
  }

  private readonly joinItemOf = (line: number, orderReference: string, amount: number | Amount) =>
    this.joinItem(line, orderReference, amount);

  /** Adds an item's amount to its customer's; `amount` may come as a Number when exact. */
  private joinItem(line: number, orderReference: string, amount: number | Amount): void {
    const order = this.orderNumbers.get(orderReference);
    if (order === undefined) {
      this.problems.add(referentialProblems.orphanItem(this.itemFile, line, orderReference));
      return;
    }
    const customer = this.orderCustomers[order] ?? ORPHAN;
    if (customer === ORPHAN) return;
    const spent = this.spentBelow2To53[customer] ?? 0;
    const small = Number(amount);
    const sum = spent + small;
    if (Number.isSafeInteger(small) && Number.isSafeInteger(sum)) {
      this.spentBelow2To53[customer] = sum;
      return;
    }
    const beyond = this.spentBeyond.get(customer) ?? 0n;
    this.spentBeyond.set(customer, beyond + BigInt(spent) + BigInt(amount));
    this.spentBelow2To53[customer] = 0;
  }

  private enter(stage: Stage, method: string): void {
    if (STAGE_OF[stage] < STAGE_OF[this.stage] || this.stage === 'finished') {
      throw new TallyUsageError(
        `${method} called after ${this.stage === 'finished' ? 'finish' : `the first of the ${this.stage}`}: add customers, then orders, then items, then finish once`,
      );
    }
    this.stage = stage;
  }

  private fileNumberOf(file: string): number {
    const known = this.fileNames.indexOf(file);
    if (known !== -1) return known;
    this.fileNames.push(file);
    return this.fileNames.length - 1;
  }
}
