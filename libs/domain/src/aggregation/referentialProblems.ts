import type { ReferentialProblem } from './ReferentialErrors';

/**
 * The referential problems of a join, worded once: the single-pass join (`BatchAggregation`)
 * and the partitioned one (`OrderTotals`, `CustomerTotals`) must send the same messages.
 */
export const referentialProblems = {
  /** A row repeating the reference of an earlier row, which wins. */
  duplicate: (
    file: string,
    line: number,
    column: 'customer_reference' | 'order_reference',
    value: string,
    first: { readonly line: number; readonly file: string },
  ): ReferentialProblem => ({
    code: 'DUPLICATE_REFERENCE',
    file,
    line,
    column,
    value,
    reason: `repeats the row on line ${first.line}${first.file === file ? '' : ` of ${first.file}`}, which wins`,
  }),
  /** An order whose customer is not an accepted customer of the batch. */
  orphanOrder: (file: string, line: number, customerReference: string): ReferentialProblem => ({
    code: 'ORPHAN_ORDER',
    file,
    line,
    column: 'customer_reference',
    value: customerReference,
    reason: 'is not an accepted customer of this batch; the order and its items are excluded',
  }),
  /** An item whose order is not an accepted order of the batch. */
  orphanItem: (file: string, line: number, orderReference: string): ReferentialProblem => ({
    code: 'ORPHAN_ITEM',
    file,
    line,
    column: 'order_reference',
    value: orderReference,
    reason: 'is not an accepted order of this batch; the item is excluded',
  }),
} as const;
