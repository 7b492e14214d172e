import type { ItemRow } from '@tally/domain';
import { REQUIRED_COLUMNS } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';
import { patternRule, REQUIRED_VALUE_RULE } from './fieldRule';
import { unsignedIntegerAtMostPattern } from './unsignedIntegerAtMostPattern';

/** The largest quantity of one item line. */
export const MAX_ITEM_QUANTITY = '999999999';

/**
 * JSON Schema (draft-07) of one `items.csv` row. Each column lists its rules in `allOf`, most
 * specific first; the first rule a value breaks gives its error code. A quantity such as `-3`
 * is a well-formed integer out of range; `1.5` or `1e3` is not an integer at all.
 *
 * @example
 * ```ts
 * itemRowSchema.properties.total_price; // { type: 'string', allOf: [required, decimal, range] }
 * ```
 */
export const itemRowSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/item-row/v1.json',
  title: 'items.csv row',
  description: 'Cell texts of one items.csv row, taken verbatim. Extra columns are allowed.',
  type: 'object',
  properties: {
    order_reference: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    item_name: { type: 'string', allOf: [REQUIRED_VALUE_RULE] },
    quantity: {
      type: 'string',
      allOf: [
        REQUIRED_VALUE_RULE,
        patternRule(
          '^-?[0-9]+$',
          'VALUE_INVALID_INTEGER',
          'must be an integer written in digits, such as 3',
        ),
        patternRule('^0*[1-9][0-9]*$', 'VALUE_OUT_OF_RANGE', 'must be an integer >= 1'),
        patternRule(
          unsignedIntegerAtMostPattern(MAX_ITEM_QUANTITY),
          'VALUE_OUT_OF_RANGE',
          `must be at most ${MAX_ITEM_QUANTITY}`,
        ),
      ],
    },
    total_price: {
      type: 'string',
      allOf: [
        REQUIRED_VALUE_RULE,
        patternRule(
          '^[0-9]+(?:\\.[0-9]+)?$',
          'VALUE_INVALID_DECIMAL',
          'must be a non-negative decimal such as 19.99',
        ),
        // Amounts are exact millionths (scale 6) in a bigint; 15 integer digits keep totals sane.
        patternRule(
          '^0*[0-9]{1,15}(?:\\.[0-9]{1,6})?$',
          'VALUE_OUT_OF_RANGE',
          'must have at most 15 integer digits and 6 decimals',
        ),
      ],
    },
  },
  required: REQUIRED_COLUMNS.items,
} satisfies JSONSchemaType<ItemRow>;
