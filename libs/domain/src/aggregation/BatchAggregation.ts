import type { FileKind } from '../batch/fileKind';
import { boundedValue, quotedValue } from '../errors/boundedValue';
import type { RowError } from '../errors/RowError';
import { TallyUsageError } from '../errors/TallyUsageError';
import { errorMessageOf } from '../messages/outputMessages';
import type { Amount, CustomerMessage, ErrorMessage } from '../messages/outputMessageTypes';
import type { StagedCustomer, StagedItem, StagedOrder } from '../staging/stagedRowTypes';

/** What a {@link BatchAggregation} needs to know about its batch. */
export interface BatchAggregationInput {
  readonly batchId: string;
  /** The file name of each kind within the batch folder, for error messages. */
  readonly files: { readonly [K in FileKind]: string };
}

/** The messages of an aggregated batch. */
export interface BatchAggregationResult {
  /** One per accepted customer, in the order the customers were added. */
  readonly customers: CustomerMessage[];
  /** Orphan orders and items, and repeated references, in the order they were found. */
  readonly errors: ErrorMessage[];
}

interface CustomerTotals {
  numberOfOrders: number;
  totalAmountSpent: Amount;
}

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
 * - A reference added twice (ingest already rejects duplicates within a file, so only a
 *   caller's mistake can cause it) is a `DUPLICATE_REFERENCE`; the first row wins.
 *
 * Add all customers, then all orders, then all items, then call `finish` once; any other order
 * throws {@link TallyUsageError}, because a row added late would be joined wrongly.
 *
 * @example
 * ```ts
 * const aggregation = new BatchAggregation({
 *   batchId: 'b1',
 *   files: { customers: 'customers.csv', orders: 'orders.csv', items: 'items.csv' },
 * });
 * aggregation.addCustomer({ line: 2, customerReference: 'C1' });
 * aggregation.addOrder({ line: 2, orderReference: 'O1', customerReference: 'C1' });
 * aggregation.addItem({ line: 2, orderReference: 'O1', amount: 300_000n });
 * aggregation.finish().customers;
 * // [{ type: 'customer_message', customer_reference: 'C1', number_of_orders: 1, total_amount_spent: 300_000n }]
 * ```
 */
export class BatchAggregation {
  private readonly batchId: string;
  private readonly files: BatchAggregationInput['files'];
  private readonly customers = new Map<string, CustomerTotals & { readonly line: number }>();
  /** Each accepted order's customer; `undefined` for an orphan order, whose items are skipped. */
  private readonly orders = new Map<
    string,
    { readonly line: number; readonly customer?: CustomerTotals }
  >();
  private readonly errors: ErrorMessage[] = [];
  private stage: Stage = 'customers';

  constructor(input: BatchAggregationInput) {
    this.batchId = input.batchId;
    this.files = input.files;
  }

  /** Adds an accepted customer. */
  addCustomer(customer: StagedCustomer): void {
    this.enter('customers', 'addCustomer');
    const first = this.customers.get(customer.customerReference);
    if (first !== undefined) {
      this.reportDuplicate(
        'customers',
        customer.line,
        'customer_reference',
        customer.customerReference,
        first.line,
      );
      return;
    }
    this.customers.set(customer.customerReference, {
      line: customer.line,
      numberOfOrders: 0,
      totalAmountSpent: 0n,
    });
  }

  /** Adds an accepted order; call after the last customer. */
  addOrder(order: StagedOrder): void {
    this.enter('orders', 'addOrder');
    const first = this.orders.get(order.orderReference);
    if (first !== undefined) {
      this.reportDuplicate(
        'orders',
        order.line,
        'order_reference',
        order.orderReference,
        first.line,
      );
      return;
    }
    const customer = this.customers.get(order.customerReference);
    this.orders.set(order.orderReference, { line: order.line, customer });
    if (customer === undefined) {
      this.report('orders', {
        code: 'ORPHAN_ORDER',
        line: order.line,
        column: 'customer_reference',
        value: order.customerReference,
        reason: 'is not an accepted customer of this batch; the order and its items are excluded',
      });
      return;
    }
    customer.numberOfOrders++;
  }

  /** Adds an accepted item; call after the last order. */
  addItem(item: StagedItem): void {
    this.enter('items', 'addItem');
    const order = this.orders.get(item.orderReference);
    if (order === undefined) {
      this.report('items', {
        code: 'ORPHAN_ITEM',
        line: item.line,
        column: 'order_reference',
        value: item.orderReference,
        reason: 'is not an accepted order of this batch; the item is excluded',
      });
      return;
    }
    if (order.customer !== undefined) order.customer.totalAmountSpent += item.amount;
  }

  /** Ends the aggregation and returns its messages; call once. */
  finish(): BatchAggregationResult {
    this.enter('finished', 'finish');
    const customers: CustomerMessage[] = [];
    for (const [customerReference, totals] of this.customers) {
      customers.push({
        type: 'customer_message',
        customer_reference: customerReference,
        number_of_orders: totals.numberOfOrders,
        total_amount_spent: totals.totalAmountSpent,
      });
    }
    return { customers, errors: this.errors };
  }

  private enter(stage: Stage, method: string): void {
    if (STAGE_OF[stage] < STAGE_OF[this.stage] || this.stage === 'finished') {
      throw new TallyUsageError(
        `${method} called after ${this.stage === 'finished' ? 'finish' : `the first of the ${this.stage}`}: add customers, then orders, then items, then finish once`,
      );
    }
    this.stage = stage;
  }

  private reportDuplicate(
    kind: FileKind,
    line: number,
    column: string,
    value: string,
    firstLine: number,
  ): void {
    this.report(kind, {
      code: 'DUPLICATE_REFERENCE',
      line,
      column,
      value,
      reason: `repeats the row on line ${firstLine}, which wins`,
    });
  }

  private report(
    kind: FileKind,
    problem: Omit<RowError, 'file' | 'message' | 'value'> & {
      readonly value: string;
      readonly reason: string;
    },
  ): void {
    const { reason, ...error } = problem;
    const file = this.files[kind];
    this.errors.push(
      errorMessageOf(this.batchId, {
        ...error,
        file,
        value: boundedValue(problem.value),
        message: `${file} line ${problem.line}: ${problem.column} ${quotedValue(problem.value)} ${reason}`,
      }),
    );
  }
}
