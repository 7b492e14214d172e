import type { BatchManifestValidator } from '@tally/domain';
import type { ErrorObject } from 'ajv';
import { validateBatchManifest } from '../generated/manifestSchemaValidators';
import { BATCH_MANIFEST_REQUIREMENTS, batchManifestSchema } from './batchManifestSchema';

/** `/files/2/sha256` as a reader writes it: `files[2].sha256`; the root is "the manifest". */
const placeOf = (instancePath: string): string => {
  if (instancePath === '') return 'the manifest';
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment, index) =>
      /^[0-9]+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
};

/** The sub-schema at a schema location such as `#/properties/files/items`. */
const schemaAt = (location: string): Record<string, unknown> => {
  let schema: unknown = batchManifestSchema;
  for (const segment of location.split('/').slice(1)) {
    schema = (schema as Record<string, unknown>)[segment];
  }
  return schema as Record<string, unknown>;
};

const quotedList = (names: readonly string[]): string =>
  names.map((name) => JSON.stringify(name)).join(', ');

/** ajv's first finding as one sentence naming the place and what it must be. */
const sentenceOf = (error: ErrorObject, value: unknown): string => {
  const place = placeOf(error.instancePath);
  // schemaPath is a URI fragment: `$schema` appears as `%24schema`.
  const location = decodeURIComponent(error.schemaPath).split('/').slice(0, -1).join('/');
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${place} must have a ${JSON.stringify(params['missingProperty'])} property`;
    case 'additionalProperties': {
      const allowed = Object.keys(schemaAt(location)['properties'] as object);
      return `${place} has a property ${JSON.stringify(params['additionalProperty'])}, which is not allowed (allowed: ${quotedList(allowed)})`;
    }
    case 'minItems':
      return `${place} must list at least ${String(params['limit'])} file`;
    case 'maxItems': {
      const listed = (value as { files: unknown[] }).files.length;
      return `${place} must list at most ${String(params['limit'])} files, not ${listed}`;
    }
    default:
      return `${place} ${BATCH_MANIFEST_REQUIREMENTS[location] ?? `does not match the manifest schema (${error.keyword})`}`;
  }
};

/**
 * The ajv implementation of the {@link BatchManifestValidator} port: checks a parsed
 * `_manifest.json` against `batchManifestSchema` (compiled ahead of time by
 * `npm run generate:schemas`) and words the first problem found as one sentence that names its
 * place, for the `error_message` the upload gets.
 *
 * @example
 * ```ts
 * const validateManifest = createBatchManifestValidator();
 * validateManifest({ files: [{ name: 'items.csv', sha256: 'abc' }] });
 * // { success: false, error: 'files[0].sha256 must be 64 hexadecimal digits' }
 * ```
 */
export function createBatchManifestValidator(): BatchManifestValidator {
  return (value) => {
    if (validateBatchManifest(value)) return { success: true, data: value };
    const [first] = validateBatchManifest.errors ?? [];
    return {
      success: false,
      error:
        first === undefined ? 'the manifest does not match its schema' : sentenceOf(first, value),
    };
  };
}
