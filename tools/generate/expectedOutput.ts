import { FILE_KINDS, formatAmount, serializeOutputMessage } from '@tally/domain';
import type { ExpectedBatch, ExpectedCustomer } from './generateBatch';
import { writeTextStream } from './writeTextStream';

/** Messages for `count` problems of one file capped at `cap`: past it, one summary. */
const capped = (count: number, cap: number): number => (count > cap ? cap + 1 : count);

/**
 * How many `error_message`s ingest sends for the batch's rows when a file's row errors are
 * capped at `maxRowErrors` (`TALLY_MAX_ROW_ERRORS`): past the cap, one `TOO_MANY_ROW_ERRORS`
 * summary replaces the rest of that file's row errors.
 *
 * @example
 * ```ts
 * expectedRowErrorMessages(expected, 1000); // e.g. 3 + 1001 + 17
 * ```
 */
export const expectedRowErrorMessages = (expected: ExpectedBatch, maxRowErrors: number): number =>
  FILE_KINDS.reduce((sum, kind) => sum + capped(expected.rejectedRows[kind], maxRowErrors), 0);

/**
 * How many `error_message`s the aggregator sends for the batch's references (repeated customers
 * in customers.csv; orphan and repeated orders in orders.csv; orphan items in items.csv), capped
 * per file like row errors: past the cap, one `TOO_MANY_REFERENTIAL_ERRORS` summary replaces the
 * rest of that file's.
 *
 * @example
 * ```ts
 * expectedReferentialErrorMessages(expected, 1000); // e.g. 12 + 1001
 * ```
 */
export const expectedReferentialErrorMessages = (
  expected: ExpectedBatch,
  maxRowErrors: number,
): number =>
  capped(expected.duplicateReferences.customers, maxRowErrors) +
  capped(expected.orphanOrders + expected.duplicateReferences.orders, maxRowErrors) +
  capped(expected.orphanItems, maxRowErrors);

/** The batch's referential problems before any cap: repeated references, orphan orders and items. */
export const expectedReferentialProblems = (expected: ExpectedBatch): number =>
  expected.duplicateReferences.customers +
  expected.duplicateReferences.orders +
  expected.orphanOrders +
  expected.orphanItems;

/**
 * All the `error_message`s the pipeline sends for the batch: ingest's and the aggregator's.
 *
 * @example
 * ```ts
 * expectedErrorMessageCount(expected, 1000); // e.g. 1000 + 1 + 412 + ...
 * ```
 */
export const expectedErrorMessageCount = (expected: ExpectedBatch, maxRowErrors: number): number =>
  expectedRowErrorMessages(expected, maxRowErrors) +
  expectedReferentialErrorMessages(expected, maxRowErrors);

/**
 * The exact body of the customer's `customer_message`, as the aggregator serialises it, so an
 * end-to-end check can compare text (a JSON parse would round large amounts through a double).
 */
export const customerMessageBody = (customer: ExpectedCustomer): string =>
  serializeOutputMessage({
    type: 'customer_message',
    customer_reference: customer.customerReference,
    number_of_orders: customer.numberOfOrders,
    total_amount_spent: customer.totalAmountSpent,
  });

/**
 * Writes `expected` as JSON to `path`, streaming one customer at a time. Amounts are exact
 * decimal strings (`"412.35"`); everything else is as in {@link ExpectedBatch}.
 */
export const writeExpectedBatch = (path: string, expected: ExpectedBatch): Promise<void> => {
  const { customers, ...summary } = expected;
  return writeTextStream(
    path,
    (function* () {
      const head = JSON.stringify({ ...summary, customerMessages: customers.length });
      yield `${head.slice(0, -1)},"customers":[\n`;
      let separator = '';
      for (const customer of customers) {
        yield `${separator}${JSON.stringify({
          customer_reference: customer.customerReference,
          number_of_orders: customer.numberOfOrders,
          total_amount_spent: formatAmount(customer.totalAmountSpent),
        })}`;
        separator = ',\n';
      }
      yield '\n]}\n';
    })(),
  );
};
