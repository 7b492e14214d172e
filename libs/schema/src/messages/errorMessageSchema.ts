import type { ErrorCode, ErrorMessage } from '@tally/domain';
import { ERROR_CATALOGUE } from '@tally/domain';
import type { ObjectSchemaShape } from '../ObjectSchemaShape';

/** Every code of the catalogue, in its order. */
const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/**
 * JSON Schema (draft-07) of an `error_message` as sent to the output queue. `code` allows
 * exactly the codes of the catalogue, read when the validators are generated
 * (`npm run generate:schemas`), so a new code needs a regeneration. Typed by
 * {@link ObjectSchemaShape}, not ajv's `JSONSchemaType`, because of the optional members.
 *
 * @example
 * ```ts
 * errorMessageSchema.properties.code.enum.includes('VALUE_REQUIRED'); // true
 * ```
 */
export const errorMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/error-message/v1.json',
  title: 'error_message',
  description: 'One per problem found in a batch; `code` is a stable code of the error catalogue.',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'error_message' },
    message: { type: 'string' },
    code: { type: 'string', enum: ERROR_CODES },
    batch_id: { type: 'string' },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'string' },
    value: { type: 'string' },
  },
  required: ['type', 'message', 'code', 'batch_id'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<ErrorMessage>;
