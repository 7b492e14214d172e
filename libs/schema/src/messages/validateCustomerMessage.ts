import { createMessageValidator } from './createMessageValidator';
import type { CustomerMessageJson } from './customerMessageSchema';
import { customerMessageSchema } from './customerMessageSchema';

/**
 * Checks a parsed `customer_message` against {@link customerMessageSchema}.
 *
 * @example
 * ```ts
 * validateCustomerMessage(JSON.parse('{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":19.99}'));
 * // { success: true, data: { type: 'customer_message', ... } }
 * ```
 */
export const validateCustomerMessage =
  createMessageValidator<CustomerMessageJson>(customerMessageSchema);
