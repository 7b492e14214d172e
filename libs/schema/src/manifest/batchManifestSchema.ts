import { MAX_MANIFEST_FILE_NAME_LENGTH, MAX_MANIFEST_FILES } from '@tally/domain';
import type { BatchManifestDocument } from '@tally/domain';
import type { ObjectSchemaShape } from '../ObjectSchemaShape';

/** The most files one manifest may list (the domain's limit: the batch state holds each). */
export const MAX_BATCH_MANIFEST_FILES = MAX_MANIFEST_FILES;

/** The longest file name a manifest may give (the domain's limit). */
export const MAX_BATCH_MANIFEST_NAME_LENGTH = MAX_MANIFEST_FILE_NAME_LENGTH;

/** A manifest as JSON: the document the domain reads, plus the editor hint it may carry. */
export type BatchManifestJson = BatchManifestDocument & { readonly $schema?: string };

const fileEntrySchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: MAX_BATCH_MANIFEST_NAME_LENGTH },
    rows: { type: 'integer', minimum: 0 },
    sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
  },
  required: ['name'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<BatchManifestDocument['files'][number]>;

/**
 * JSON Schema (draft-07) of the batch manifest object, `<prefix><batch-id>/_manifest.json`: the
 * files the batch is made of, each optionally with its number of data rows and the SHA-256 of
 * its bytes (either case), which the uploaded file must then have. Nothing else is allowed, so
 * a misspelt `sha256` is an error rather than a check silently skipped. A manifest may point an
 * editor at this schema with `$schema`.
 *
 * @example
 * ```ts
 * // {"files":[{"name":"customers.csv"},{"name":"orders.csv","rows":2},{"name":"items-1.csv"}]}
 * batchManifestSchema.properties.files.maxItems; // 200
 * ```
 */
export const batchManifestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://schemas.tally.dev/batch-manifest/v1.json',
  title: '_manifest.json',
  description:
    'The files of one batch (several per kind allowed): the batch is ready when each is staged with the rows and SHA-256 given here.',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    files: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_MANIFEST_FILES,
      items: fileEntrySchema,
    },
  },
  required: ['files'],
  additionalProperties: false,
} as const satisfies ObjectSchemaShape<BatchManifestJson>;

/**
 * What each place of {@link batchManifestSchema} requires, as the end of a sentence naming the
 * place (`files[2].sha256 must be 64 hexadecimal digits`): keyed by the place's location in the
 * schema, as ajv's `schemaPath` gives it without the failing keyword. Every sub-schema has one.
 */
export const BATCH_MANIFEST_REQUIREMENTS: Readonly<Record<string, string>> = {
  '#': 'must be a JSON object',
  '#/properties/$schema': 'must be a string',
  '#/properties/files': 'must be a list',
  '#/properties/files/items': 'must be an object',
  '#/properties/files/items/properties/name': `must be 1 to ${MAX_BATCH_MANIFEST_NAME_LENGTH} characters long`,
  '#/properties/files/items/properties/rows': 'must be an integer >= 0',
  '#/properties/files/items/properties/sha256': 'must be 64 hexadecimal digits',
};
