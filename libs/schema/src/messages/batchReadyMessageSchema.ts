import { AGGREGATION_PHASES } from '@tally/domain';
import type { BatchReadyMessage } from '@tally/domain';
import type { ObjectSchemaShape } from '../ObjectSchemaShape';

/**
 * JSON Schema (draft-07) of the internal `batch_ready` message on the aggregation queue: aggregate
 * this revision of the batch, as the lease owner named (a continuation) or as a new request.
 * Strict (no extra properties): producer and consumer change together, and a new shape gets a
 * new `$id` version (v1 listed the files; v2 names a revision, which lists them; v3 may name a
 * task of a partitioned aggregation).
 *
 * @example
 * ```ts
 * batchReadyMessageSchema.required; // ['type', 'batch_id', 'revision']
 * ```
 */
export const batchReadyMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/batch-ready-message/v3.json',
  title: 'batch_ready',
  description:
    'A revision of a batch is allocated: aggregate it (`lease_owner` is set on a continuation, `task` on a task of a partitioned aggregation).',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'batch_ready' },
    batch_id: { type: 'string', minLength: 1 },
    revision: { type: 'integer', minimum: 1 },
    lease_owner: { type: 'string', minLength: 1 },
    task: {
      type: 'object',
      properties: {
        phase: { type: 'string', enum: AGGREGATION_PHASES },
        partition: { type: 'integer', minimum: 0, maximum: 255 },
        partitions: { type: 'integer', enum: [1, 2, 4, 8, 16, 32, 64, 128, 256] },
      },
      required: ['phase', 'partition', 'partitions'],
      additionalProperties: false,
    },
  },
  required: ['type', 'batch_id', 'revision'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<BatchReadyMessage>;
