import type { CustomerMessage } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';

/**
 * A {@link CustomerMessage} as JSON: `total_amount_spent` is a JSON number, written from the
 * exact decimal digits of the amount and read back by `JSON.parse` as a `number`.
 */
export type CustomerMessageJson = Omit<CustomerMessage, 'total_amount_spent'> & {
  readonly total_amount_spent: number;
};

/**
 * JSON Schema (draft-07) of a `customer_message` as sent to the output queue. Exactly these four
 * properties: consumers may rely on it, so a change means a new `$id` version.
 *
 * @example
 * ```ts
 * customerMessageSchema.$id; // 'https://schemas.tally.dev/customer-message/v1.json'
 * ```
 */
export const customerMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/customer-message/v1.json',
  title: 'customer_message',
  description: 'One per accepted customer of an aggregated batch.',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'customer_message' },
    customer_reference: { type: 'string' },
    number_of_orders: { type: 'integer', minimum: 0 },
    total_amount_spent: { type: 'number', minimum: 0 },
  },
  required: ['type', 'customer_reference', 'number_of_orders', 'total_amount_spent'],
  additionalProperties: false,
} satisfies JSONSchemaType<CustomerMessageJson>;
