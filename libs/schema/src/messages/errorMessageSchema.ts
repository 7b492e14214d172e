import type { ErrorCode, ErrorMessage } from '@tally/domain';
import { ERROR_CATALOGUE } from '@tally/domain';

/** Every code of the catalogue, in its order. */
const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** Required members of `T`: those whose type does not admit `undefined`. */
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/**
 * JSON Schema (draft-07) of an `error_message` as sent to the output queue. Not typed with ajv's
 * `JSONSchemaType`, which would force `nullable: true` (accepting `null`) on the optional
 * members; `satisfies` still fails to compile if a member of {@link ErrorMessage} is added,
 * removed or made required without this schema following.
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
} as const satisfies {
  readonly [keyword: string]: unknown;
  readonly properties: { readonly [K in keyof ErrorMessage]-?: object };
  readonly required: readonly RequiredKeys<ErrorMessage>[];
};
