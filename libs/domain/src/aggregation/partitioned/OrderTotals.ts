import type { Amount } from '../../messages/outputMessageTypes';
import { forEachStagedItem } from '../../staging/stagedRowCodec';
import type { StagedOrder } from '../../staging/stagedRowTypes';
import { referentialProblems } from '../referentialProblems';
import { ReferentialErrors } from '../ReferentialErrors';
import type { FileProblems } from '../ReferentialErrors';

/** An accepted order's contribution to its customer: what the customers phase needs of it. */
export interface OrderTotal {
  /** The order's file, as its index in the revision's files. */
  readonly file: number;
  readonly line: number;
  readonly customerReference: string;
  /** The exact sum of its items' amounts, in millionths. */
  readonly total: Amount;
}

/** What {@link OrderTotals} needs to know. */
export interface OrderTotalsInput {
  readonly batchId: string;
  readonly maxErrorsPerFile: number;
  /** The names of the revision's files, in its order: rows name their file by index in it. */
  readonly files: readonly string[];
}

/**
 * The orders phase of a partitioned aggregation, for one partition of order references: its
 * orders and items meet here (items know only their order), giving each accepted order's total,
 * the orphan items and the repeated orders. Same rules as `BatchAggregation` for these: the
 * first row of a reference added wins, an item of an unknown order is an `ORPHAN_ITEM`, an
 * order without items totals 0. Whether the order's customer exists is the customers phase's
 * business (`CustomerTotals`).
 *
 * Add the partition's orders file by file in the revision's order, then its items, then call
 * `finish` once.
 *
 * @example
 * ```ts
 * const totals = new OrderTotals({ batchId: 'b1', maxErrorsPerFile: 1000, files: ['customers.csv', 'orders.csv', 'items.csv'] });
 * totals.addOrders([{ line: 2, orderReference: 'O1', customerReference: 'C1' }], 1);
 * totals.addStagedItems('2\tO1\t0.5', 2);
 * totals.finish().totalAt(0); // { file: 1, line: 2, customerReference: 'C1', total: 500_000n }
 * ```
 */
export class OrderTotals {
  private readonly files: readonly string[];
  private readonly problems: ReferentialErrors;
  private readonly orderNumbers = new Map<string, number>();
  private readonly orders: { file: number; line: number; customerReference: string }[] = [];
  /** Each order's total while a safe integer; moved to {@link totalsBeyond} when not. */
  private readonly totalsBelow2To53: number[] = [];
  private readonly totalsBeyond = new Map<number, Amount>();
  private itemFile = '';

  constructor(input: OrderTotalsInput) {
    this.files = input.files;
    this.problems = new ReferentialErrors(input.batchId, input.maxErrorsPerFile);
  }

  /** Adds accepted orders of the revision's file `file`, in line order. */
  addOrders(orders: Iterable<StagedOrder>, file: number): void {
    const name = this.files[file] ?? '';
    for (const order of orders) {
      const first = this.orderNumbers.get(order.orderReference);
      if (first !== undefined) {
        const winner = this.orders[first];
        this.problems.add(
          referentialProblems.duplicate(name, order.line, 'order_reference', order.orderReference, {
            line: winner?.line ?? 0,
            file: this.files[winner?.file ?? file] ?? '',
          }),
        );
        continue;
      }
      this.orderNumbers.set(order.orderReference, this.orders.length);
      this.orders.push({ file, line: order.line, customerReference: order.customerReference });
      this.totalsBelow2To53.push(0);
    }
  }

  /**
   * Adds the items of one staged chunk of the revision's file `file`; `keep` says which order
   * references belong to this partition (a chunk may hold other partitions' rows too).
   */
  addStagedItems(text: string, file: number, keep?: (orderReference: string) => boolean): void {
    this.itemFile = this.files[file] ?? '';
    forEachStagedItem(text, keep === undefined ? this.addItem : this.addItemIf(keep));
  }

  /**
   * The accepted orders (numbered 0 to `count - 1` in the order added), each one's total made
   * when asked for, so a partition's orders are never held twice; and the problems found.
   */
  finish(): {
    readonly count: number;
    readonly totalAt: (order: number) => OrderTotal;
    readonly customerReferenceAt: (order: number) => string;
    readonly problems: FileProblems[];
  } {
    const { orders, totalsBelow2To53, totalsBeyond } = this;
    const totalAt = (number: number): OrderTotal => {
      const order = orders[number];
      if (order === undefined) throw new RangeError(`no order number ${number}`);
      return {
        ...order,
        total: BigInt(totalsBelow2To53[number] ?? 0) + (totalsBeyond.get(number) ?? 0n),
      };
    };
    return {
      count: orders.length,
      totalAt,
      customerReferenceAt: (number) => orders[number]?.customerReference ?? '',
      problems: this.problems.problems(),
    };
  }

  private readonly addItemIf =
    (keep: (orderReference: string) => boolean) =>
    (line: number, orderReference: string, amount: number | Amount) => {
      if (keep(orderReference)) this.addItem(line, orderReference, amount);
    };

  private readonly addItem = (line: number, orderReference: string, amount: number | Amount) => {
    const order = this.orderNumbers.get(orderReference);
    if (order === undefined) {
      this.problems.add(referentialProblems.orphanItem(this.itemFile, line, orderReference));
      return;
    }
    const sum = (this.totalsBelow2To53[order] ?? 0) + Number(amount);
    if (typeof amount === 'number' && Number.isSafeInteger(sum)) {
      this.totalsBelow2To53[order] = sum;
      return;
    }
    const below = BigInt(this.totalsBelow2To53[order] ?? 0);
    this.totalsBeyond.set(order, (this.totalsBeyond.get(order) ?? 0n) + below + BigInt(amount));
    this.totalsBelow2To53[order] = 0;
  };
}
