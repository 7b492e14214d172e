import type { IngestContinuationMessage } from '@tally/domain';
import type { ObjectSchemaShape } from '../ObjectSchemaShape';

/**
 * JSON Schema (draft-07) of the internal `ingest_continuation` message on the ingest queue: read
 * this upload on from `segment`, where the previous ingest invocation recorded its checkpoint.
 * It names the upload as its S3 event did (`version_id` only when the event had one). Strict (no
 * extra properties): producer and consumer change together, and a new shape gets a new `$id`
 * version.
 *
 * @example
 * ```ts
 * ingestContinuationMessageSchema.required.includes('segment'); // true
 * ```
 */
export const ingestContinuationMessageSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/ingest-continuation-message/v1.json',
  title: 'ingest_continuation',
  description:
    'Read an uploaded file on from a segment: the previous ingest invocation recorded where it starts.',
  type: 'object',
  properties: {
    type: { type: 'string', const: 'ingest_continuation' },
    bucket: { type: 'string', minLength: 1 },
    key: { type: 'string', minLength: 1 },
    size: { type: 'integer', minimum: 0 },
    e_tag: { type: 'string', minLength: 1 },
    sequencer: { type: 'string', minLength: 1 },
    version_id: { type: 'string', minLength: 1 },
    segment: { type: 'integer', minimum: 1 },
  },
  required: ['type', 'bucket', 'key', 'size', 'e_tag', 'sequencer', 'segment'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<IngestContinuationMessage>;
