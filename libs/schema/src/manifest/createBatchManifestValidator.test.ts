import type { BatchManifestDocument } from '@tally/domain';
import { BATCH_MANIFEST_REQUIREMENTS, batchManifestSchema } from './batchManifestSchema';
import { createBatchManifestValidator } from './createBatchManifestValidator';

const validateManifest = createBatchManifestValidator();

const DIGEST = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const THREE_KINDS: BatchManifestDocument = {
  files: [{ name: 'customers.csv' }, { name: 'orders.csv', rows: 0 }, { name: 'items.csv' }],
};
const ALLOWED_IN_FILE = '(allowed: "name", "rows", "sha256")';

/** The three-kind manifest with `entry` as its third file. */
const withThird = (entry: unknown): unknown => ({
  files: [...THREE_KINDS.files.slice(0, 2), entry],
});

describe('createBatchManifestValidator', () => {
  it.each([
    ['one file of each kind', THREE_KINDS],
    [
      'parts with row counts and digests in either case',
      {
        files: [
          { name: 'customers.csv', rows: 60_000, sha256: DIGEST },
          { name: 'orders.csv', sha256: DIGEST.toUpperCase() },
          { name: 'items-1.csv', rows: 250_000 },
          { name: 'items-2.csv', rows: 0 },
        ],
      },
    ],
    [
      'an editor hint',
      { $schema: 'https://schemas.tally.dev/batch-manifest/v1.json', files: THREE_KINDS.files },
    ],
    ['a single file (the domain checks the kinds)', { files: [{ name: 'items.csv' }] }],
    ['100 files', { files: Array.from({ length: 100 }, (_, n) => ({ name: `items-${n}.csv` })) }],
    ['a name of 100 characters', { files: [{ name: `${'é'.repeat(96)}.csv` }] }],
  ])('accepts %s, returning the document itself', (_, manifest) => {
    const result = validateManifest(manifest);
    expect(result).toEqual({ success: true, data: manifest });
    expect(result.success && result.data).toBe(manifest);
  });

  it.each([
    ['null', null, 'the manifest must be a JSON object'],
    ['a list', [THREE_KINDS], 'the manifest must be a JSON object'],
    ['text', 'customers.csv', 'the manifest must be a JSON object'],
    ['no files', {}, 'the manifest must have a "files" property'],
    [
      'a misspelt member',
      { ...THREE_KINDS, file: [] },
      'the manifest has a property "file", which is not allowed (allowed: "$schema", "files")',
    ],
    ['an editor hint that is not text', { ...THREE_KINDS, $schema: 1 }, '$schema must be a string'],
    ['files that are not a list', { files: { name: 'items.csv' } }, 'files must be a list'],
    ['an empty list', { files: [] }, 'files must list at least 1 file'],
    [
      '101 files',
      { files: Array.from({ length: 101 }, (_, n) => ({ name: `items-${n}.csv` })) },
      'files must list at most 100 files, not 101',
    ],
    ['a name alone', withThird('items.csv'), 'files[2] must be an object'],
    ['an entry without a name', withThird({ rows: 3 }), 'files[2] must have a "name" property'],
    [
      'an entry with a size',
      withThird({ name: 'items.csv', size: 10 }),
      `files[2] has a property "size", which is not allowed ${ALLOWED_IN_FILE}`,
    ],
    [
      'a misspelt digest member',
      withThird({ name: 'items.csv', sha265: DIGEST }),
      `files[2] has a property "sha265", which is not allowed ${ALLOWED_IN_FILE}`,
    ],
    ['an empty name', withThird({ name: '' }), 'files[2].name must be 1 to 100 characters long'],
    [
      'a name of 101 characters',
      withThird({ name: `${'é'.repeat(97)}.csv` }),
      'files[2].name must be 1 to 100 characters long',
    ],
    [
      'a name that is not text',
      withThird({ name: 3 }),
      'files[2].name must be 1 to 100 characters long',
    ],
    [
      'a negative row count',
      withThird({ name: 'items.csv', rows: -1 }),
      'files[2].rows must be an integer >= 0',
    ],
    [
      'a fractional row count',
      withThird({ name: 'items.csv', rows: 2.5 }),
      'files[2].rows must be an integer >= 0',
    ],
    [
      'a row count as text',
      withThird({ name: 'items.csv', rows: '3' }),
      'files[2].rows must be an integer >= 0',
    ],
    [
      'a digest of 63 digits',
      withThird({ name: 'items.csv', sha256: DIGEST.slice(1) }),
      'files[2].sha256 must be 64 hexadecimal digits',
    ],
    [
      'a digest that is not hexadecimal',
      withThird({ name: 'items.csv', sha256: `${DIGEST.slice(1)}g` }),
      'files[2].sha256 must be 64 hexadecimal digits',
    ],
    [
      'a base64 digest',
      withThird({ name: 'items.csv', sha256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }),
      'files[2].sha256 must be 64 hexadecimal digits',
    ],
    [
      'a digest that is not text',
      withThird({ name: 'items.csv', sha256: 1 }),
      'files[2].sha256 must be 64 hexadecimal digits',
    ],
    [
      'two problems (the first is named)',
      { files: [{ name: 'customers.csv', rows: -1 }, { name: '' }] },
      'files[0].rows must be an integer >= 0',
    ],
  ])('rejects %s with one sentence', (_, manifest, error) => {
    expect(validateManifest(manifest)).toEqual({ success: false, error });
  });
});

describe('BATCH_MANIFEST_REQUIREMENTS', () => {
  /** Every sub-schema location of a schema: the root, its properties and its items. */
  const locationsOf = (schema: Record<string, unknown>, location = '#'): string[] => {
    const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    const items = schema['items'] as Record<string, unknown> | undefined;
    return [
      location,
      ...Object.entries(properties).flatMap(([name, property]) =>
        locationsOf(property, `${location}/properties/${name}`),
      ),
      ...(items === undefined ? [] : locationsOf(items, `${location}/items`)),
    ];
  };

  it('says what every place of the schema requires, and nothing else', () => {
    expect(Object.keys(BATCH_MANIFEST_REQUIREMENTS).sort()).toEqual(
      locationsOf(batchManifestSchema).sort(),
    );
  });
});
