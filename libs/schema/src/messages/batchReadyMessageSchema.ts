import type { BatchReadyMessage } from '@tally/domain';
import type { ObjectSchemaShape } from '../ObjectSchemaShape';

/**
 * JSON Schema (draft-07) of the internal `batch_ready` message on the aggregation queue: aggregate
 * this revision of the batch, as the lease owner named (a continuation) or as a new request.
 * Strict (no extra properties): producer and consumer change together, and a new shape gets a
 * new `$id` version (v1 listed the files; v2 names a revision, which lists them).
 *
 * @example
 * ```ts
 * batchReadyMessageSchema.required; // ['type', 'batch_id', 'revision']
 * ```
 */
export const batchReadyMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/batch-ready-message/v2.json',
  title: 'batch_ready',
  description:
    'A revision of a batch is allocated: aggregate it (`lease_owner` is set on a continuation).',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'batch_ready' },
    batch_id: { type: 'string', minLength: 1 },
    revision: { type: 'integer', minimum: 1 },
    lease_owner: { type: 'string', minLength: 1 },
  },
  required: ['type', 'batch_id', 'revision'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<BatchReadyMessage>;
