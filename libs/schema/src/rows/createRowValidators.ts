import type { RowValidators } from '@tally/domain';
import {
  validateCustomerRow,
  validateItemRow,
  validateOrderRow,
} from '../generated/rowSchemaValidators';
import { createRowValidator } from './createRowValidator';
import { customerRowSchema } from './customerRowSchema';
import { itemRowSchema } from './itemRowSchema';
import { orderRowSchema } from './orderRowSchema';

/**
 * The ajv implementation of the {@link RowValidators} port. The schemas were compiled ahead of
 * time (`npm run generate:schemas`), so a call only builds the three error tables; build it once
 * per container (beside the other dependencies), not per row or file. Every bad column of a row
 * gives exactly one `FieldError`: a missing value beats a malformed one, which beats one out of
 * range.
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
  return {
    customers: createRowValidator(validateCustomerRow, customerRowSchema),
    orders: createRowValidator(validateOrderRow, orderRowSchema),
    items: createRowValidator(validateItemRow, itemRowSchema),
  };
}
