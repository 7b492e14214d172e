import type { OrderRow } from '@tally/domain';
import { REQUIRED_COLUMNS } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';
import { patternRule, REQUIRED_VALUE_RULE } from './fieldRule';
import { unsignedIntegerAtMostPattern } from './unsignedIntegerAtMostPattern';

/** 9999-12-31T23:59:59Z in unix seconds: later timestamps cannot be written as ISO dates. */
export const MAX_ORDER_TIMESTAMP = '253402300799';

/**
 * JSON Schema (draft-07) of one `orders.csv` row. Each column lists its rules in `allOf`, most
 * specific first; the first rule a value breaks gives its error code.
 *
 * @example
 * ```ts
 * orderRowSchema.properties.order_timestamp; // { type: 'string', allOf: [required, digits, range] }
 * ```
 */
export const orderRowSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/order-row/v1.json',
  title: 'orders.csv row',
  description: 'Cell texts of one orders.csv row, taken verbatim. Extra columns are allowed.',
  type: 'object',
  properties: {
    order_reference: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    customer_reference: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    order_status: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    order_timestamp: {
      type: 'string',
      allOf: [
        REQUIRED_VALUE_RULE,
        patternRule('^[0-9]+$', 'VALUE_INVALID_TIMESTAMP', 'must be unix seconds (digits only)'),
        patternRule(
          unsignedIntegerAtMostPattern(MAX_ORDER_TIMESTAMP),
          'VALUE_OUT_OF_RANGE',
          `must be at most ${MAX_ORDER_TIMESTAMP} (year 9999)`,
        ),
      ],
    },
  },
  required: REQUIRED_COLUMNS.orders,
} satisfies JSONSchemaType<OrderRow>;
