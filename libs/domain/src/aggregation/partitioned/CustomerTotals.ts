import type { Amount, CustomerMessage } from '../../messages/outputMessageTypes';
import type { StagedCustomer } from '../../staging/stagedRowTypes';
import { referentialProblems } from '../referentialProblems';
import { ReferentialErrors } from '../ReferentialErrors';
import type { FileProblems } from '../ReferentialErrors';
import type { OrderTotal } from './OrderTotals';

/** What {@link CustomerTotals} needs to know. */
export interface CustomerTotalsInput {
  readonly batchId: string;
  readonly maxErrorsPerFile: number;
  /** The names of the revision's files, in its order: rows name their file by index in it. */
  readonly files: readonly string[];
}

/**
 * The customers phase of a partitioned aggregation, for one partition of customer references:
 * its customers meet the totals of the accepted orders that name them (from every orders-phase
 * partition), giving one `customer_message` per accepted customer, the orphan orders and the
 * repeated customers. Same rules as `BatchAggregation`: the first row of a reference added
 * wins, every customer gets a message (0 orders, amount 0 without any), an order of an unknown
 * customer is an `ORPHAN_ORDER` and its total is left out.
 *
 * Add the partition's customers file by file in the revision's order, then the order totals in
 * any order, then call `finish` once.
 *
 * @example
 * ```ts
 * const totals = new CustomerTotals({ batchId: 'b1', maxErrorsPerFile: 1000, files });
 * totals.addCustomers([{ line: 2, customerReference: 'C1' }], 0);
 * totals.addOrderTotal({ file: 1, line: 2, customerReference: 'C1', total: 500_000n });
 * totals.finish().customers; // [{ type: 'customer_message', customer_reference: 'C1', number_of_orders: 1, total_amount_spent: 500_000n }]
 * ```
 */
export class CustomerTotals {
  private readonly files: readonly string[];
  private readonly problems: ReferentialErrors;
  private readonly customers = new Map<
    string,
    { file: number; line: number; orders: number; spent: Amount }
  >();

  constructor(input: CustomerTotalsInput) {
    this.files = input.files;
    this.problems = new ReferentialErrors(input.batchId, input.maxErrorsPerFile);
  }

  /** Adds accepted customers of the revision's file `file`, in line order. */
  addCustomers(customers: Iterable<StagedCustomer>, file: number): void {
    const name = this.files[file] ?? '';
    for (const customer of customers) {
      const first = this.customers.get(customer.customerReference);
      if (first !== undefined) {
        this.problems.add(
          referentialProblems.duplicate(
            name,
            customer.line,
            'customer_reference',
            customer.customerReference,
            { line: first.line, file: this.files[first.file] ?? '' },
          ),
        );
        continue;
      }
      this.customers.set(customer.customerReference, {
        file,
        line: customer.line,
        orders: 0,
        spent: 0n,
      });
    }
  }

  /** Adds an accepted order's total to its customer, or reports the order an orphan. */
  addOrderTotal(order: OrderTotal): void {
    const customer = this.customers.get(order.customerReference);
    if (customer === undefined) {
      this.problems.add(
        referentialProblems.orphanOrder(
          this.files[order.file] ?? '',
          order.line,
          order.customerReference,
        ),
      );
      return;
    }
    customer.orders += 1;
    customer.spent += order.total;
  }

  /** The customer messages (in the order the customers were added) and the problems found. */
  finish(): { readonly customers: CustomerMessage[]; readonly problems: FileProblems[] } {
    const customers: CustomerMessage[] = [];
    for (const [reference, customer] of this.customers) {
      customers.push({
        type: 'customer_message',
        customer_reference: reference,
        number_of_orders: customer.orders,
        total_amount_spent: customer.spent,
      });
    }
    return { customers, problems: this.problems.problems() };
  }
}
