import type { BatchReadyMessage, StagedFile } from '@tally/domain';
import { FILE_KINDS } from '@tally/domain';
import type { JSONSchemaType } from 'ajv';

const stagedFileSchema = {
  type: 'object',
  properties: {
    file: { type: 'string', minLength: 1 },
    version: { type: 'string', minLength: 1 },
    chunks: { type: 'integer', minimum: 0 },
  },
  required: ['file', 'version', 'chunks'],
  additionalProperties: false,
} satisfies JSONSchemaType<StagedFile>;

/**
 * JSON Schema (draft-07) of the internal `batch_ready` message on the aggregation queue. Strict
 * (no extra properties): producer and consumer change together, and a new shape gets a new
 * `$id` version.
 *
 * @example
 * ```ts
 * batchReadyMessageSchema.properties.files.required; // ['customers', 'orders', 'items']
 * ```
 */
export const batchReadyMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/batch-ready-message/v1.json',
  title: 'batch_ready',
  description: 'All three files of a batch are staged; aggregation may start.',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'batch_ready' },
    batch_id: { type: 'string', minLength: 1 },
    files: {
      type: 'object',
      properties: {
        customers: stagedFileSchema,
        orders: stagedFileSchema,
        items: stagedFileSchema,
      },
      required: FILE_KINDS,
      additionalProperties: false,
    },
  },
  required: ['type', 'batch_id', 'files'],
  additionalProperties: false,
} satisfies JSONSchemaType<BatchReadyMessage>;
