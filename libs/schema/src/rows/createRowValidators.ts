import type { CustomerRow, ItemRow, OrderRow, RowValidators } from '@tally/domain';
import Ajv from 'ajv';
import { createRowValidator } from './createRowValidator';
import { customerRowSchema } from './customerRowSchema';
import { fieldRuleKeywordDefinition } from './fieldRule';
import { itemRowSchema } from './itemRowSchema';
import { orderRowSchema } from './orderRowSchema';

/**
 * The ajv implementation of the {@link RowValidators} port. Each call compiles the three row
 * schemas, so build it once per container (beside the other dependencies), not per row or file.
 * Every bad column of a row gives exactly one `FieldError`: a missing value beats a malformed
 * one, which beats one out of range.
 *
 * @example
 * ```ts
 * const rowValidators = createRowValidators();
 * const result = rowValidators.orders({
 *   order_reference: 'O1',
 *   customer_reference: 'C1',
 *   order_status: 'paid',
 *   order_timestamp: '17e8',
 * });
 * // { success: false, errors: [{ code: 'VALUE_INVALID_TIMESTAMP', column: 'order_timestamp',
 * //   value: '17e8', reason: 'must be unix seconds (digits only)' }] }
 * ```
 */
export function createRowValidators(): RowValidators {
  // `messages: false`: FieldErrors carry their own reasons, so ajv need not build message strings.
  // `validateSchema: false`: checking against the draft-07 meta-schema costs ~30 ms of cold start;
  // the schemas are constants, checked against it by the tests instead.
  const ajv = new Ajv({ allErrors: true, messages: false, strict: true, validateSchema: false });
  ajv.addKeyword(fieldRuleKeywordDefinition);
  return {
    customers: createRowValidator<CustomerRow>(ajv, customerRowSchema),
    orders: createRowValidator<OrderRow>(ajv, orderRowSchema),
    items: createRowValidator<ItemRow>(ajv, itemRowSchema),
  };
}
