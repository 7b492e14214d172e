import {
  BATCH_MANIFEST_FILE,
  FILE_KINDS,
  kindOfName,
  MAX_BATCH_MANIFEST_BYTES,
  MAX_MANIFEST_FILE_NAME_LENGTH,
  MAX_MANIFEST_FILES,
} from '@tally/domain';
import type { BatchManifestValidator, PlannedFile, RowError } from '@tally/domain';

/** The files a batch manifest lists, or the `MANIFEST_INVALID` error ingest would send. */
export type BatchManifestCheck =
  | { readonly success: true; readonly files: readonly PlannedFile[] }
  | { readonly success: false; readonly error: RowError };

/**
 * Checks the text of a `_manifest.json` as ingest does (`ingestBatchManifest`): at most
 * `MAX_BATCH_MANIFEST_BYTES` (`text` is `undefined` when the file is larger), JSON, the
 * manifest's JSON Schema (`validator`), at most `MAX_MANIFEST_FILES` names of at most
 * `MAX_MANIFEST_FILE_NAME_LENGTH` characters, each a `.csv` name of the batch folder that gives
 * a kind, none twice, every kind listed. The domain does not export ingest's own check, so this
 * repeats its rules and words; `validateBatchFolder.test.ts` runs both on the same manifests
 * and fails when they part.
 *
 * @example
 * ```ts
 * checkBatchManifest('{"files":[]}', createBatchManifestValidator());
 * // { success: false, error: { code: 'MANIFEST_INVALID', file: '_manifest.json', message: '_manifest.json: files must list at least 1 file; …' } }
 * ```
 */
export const checkBatchManifest = (
  text: string | undefined,
  validator: BatchManifestValidator,
): BatchManifestCheck => {
  const invalid = (reason: string): BatchManifestCheck => ({
    success: false,
    error: {
      code: 'MANIFEST_INVALID',
      file: BATCH_MANIFEST_FILE,
      message: `${BATCH_MANIFEST_FILE}: ${reason}; the batch waits for a valid manifest`,
    },
  });
  if (text === undefined) return invalid(`it is larger than ${MAX_BATCH_MANIFEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const checked = validator(json);
  if (!checked.success) return invalid(checked.error);
  const names = checked.data.files.map((entry) => entry.name);
  if (names.length > MAX_MANIFEST_FILES)
    return invalid(
      `it lists ${names.length} files; a manifest may list at most ${MAX_MANIFEST_FILES}`,
    );
  const longName = names.find((name) => name.length > MAX_MANIFEST_FILE_NAME_LENGTH);
  if (longName !== undefined)
    return invalid(
      `a file name is ${longName.length} characters long; names may have at most ${MAX_MANIFEST_FILE_NAME_LENGTH}`,
    );
  const badName = names.find(
    (name) => name.includes('/') || !name.endsWith('.csv') || kindOfName(name) === undefined,
  );
  if (badName !== undefined) {
    return invalid(
      `${JSON.stringify(badName)} is not a file name of the batch (a name in the batch folder, starting with customers, orders or items and ending in .csv)`,
    );
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) return invalid(`it lists ${JSON.stringify(repeated)} twice`);
  const absent = FILE_KINDS.filter((kind) => !names.some((name) => kindOfName(name) === kind));
  if (absent.length > 0) return invalid(`it lists no ${absent.join(' and no ')} file`);
  return {
    success: true,
    files: checked.data.files.map((entry) => ({
      file: entry.name,
      ...(entry.rows !== undefined && { rows: entry.rows }),
      ...(entry.sha256 !== undefined && { sha256: entry.sha256.toLowerCase() }),
    })),
  };
};
