import { validateCustomerMessage as validate } from '../generated/messageSchemaValidators';
import { createMessageValidator } from './createMessageValidator';

/**
 * Checks a parsed `customer_message` against `customerMessageSchema`, compiled ahead of time.
 *
 * @example
 * ```ts
 * validateCustomerMessage(JSON.parse('{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":19.99}'));
 * // { success: true, data: { type: 'customer_message', ... } }
 * ```
 */
export const validateCustomerMessage = createMessageValidator(validate);
