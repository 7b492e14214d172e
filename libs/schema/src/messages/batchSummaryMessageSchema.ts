import type { BatchSummaryMessage } from '@tally/domain';
import { FILE_KINDS } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';

/**
 * JSON Schema (draft-07) of a `batch_summary` as sent to the output queue after the last message
 * of a revision: the files (and versions) the revision aggregated, and how many customer and
 * error messages it sent, so a consumer can tell when it holds the whole revision. Strict: a
 * change means a new `$id` version.
 *
 * @example
 * ```ts
 * batchSummaryMessageSchema.$id; // 'https://schemas.tally.dev/batch-summary-message/v1.json'
 * ```
 */
export const batchSummaryMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/batch-summary-message/v1.json',
  title: 'batch_summary',
  description:
    'Sent after the last message of a revision: the revision is whole once `customer_messages` customer messages and `error_messages` error messages with its `batch_revision` were received.',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'batch_summary' },
    batch_id: { type: 'string', minLength: 1 },
    revision: { type: 'integer', minimum: 1 },
    files: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: FILE_KINDS },
          file: { type: 'string', minLength: 1 },
          object_key: { type: 'string', minLength: 1 },
          object_version: { type: 'string', minLength: 1 },
          rows: { type: 'integer', minimum: 0 },
        },
        required: ['kind', 'file', 'object_key', 'object_version', 'rows'],
        additionalProperties: false,
      },
    },
    customer_messages: { type: 'integer', minimum: 0 },
    error_messages: { type: 'integer', minimum: 0 },
  },
  required: ['type', 'batch_id', 'revision', 'files', 'customer_messages', 'error_messages'],
  additionalProperties: false,
} satisfies JSONSchemaType<BatchSummaryMessage>;
