import type { CustomerRow } from '@tally/domain';
import { REQUIRED_COLUMNS } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';
import { REQUIRED_VALUE_RULE } from './fieldRule';

/**
 * JSON Schema (draft-07) of one `customers.csv` row. Checked with `satisfies JSONSchemaType<CustomerRow>`,
 * so a column added to, removed from or retyped in `CustomerRow` fails to compile here.
 *
 * @example
 * ```ts
 * JSON.stringify(customerRowSchema); // publish it beside the docs
 * ```
 */
export const customerRowSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/customer-row/v1.json',
  title: 'customers.csv row',
  description: 'Cell texts of one customers.csv row, taken verbatim. Extra columns are allowed.',
  type: 'object',
  properties: {
    customer_reference: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    status: { type: 'string' },
  },
  required: REQUIRED_COLUMNS.customers,
} satisfies JSONSchemaType<CustomerRow>;
