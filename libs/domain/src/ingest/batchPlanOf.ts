import { FILE_KINDS } from '../batch/fileKind';
import { MAX_FILE_NAME_LENGTH } from '../batch/parseBatchKey';
import type { RowError } from '../errors/RowError';
import type { PlannedFile } from '../lifecycle/BatchState';
import { BATCH_MANIFEST_FILE, kindOfName } from '../lifecycle/selectFiles';
import type { BatchManifestValidator } from '../validation/BatchManifestValidator';

/** A manifest lists files, not data: anything larger is not one. */
export const MAX_BATCH_MANIFEST_BYTES = 1024 * 1024;

/**
 * The most files one manifest may list, and the longest name it may give: the batch state holds
 * the manifest and the revision's files in one record of bounded size (see `MAX_KEYS_PER_BATCH`
 * and its worst-case test).
 */
export const MAX_MANIFEST_FILES = 100;
export const MAX_MANIFEST_FILE_NAME_LENGTH = MAX_FILE_NAME_LENGTH;

/** The files a batch manifest lists, or the `MANIFEST_INVALID` error that says what is wrong. */
export type BatchPlanReading =
  | { readonly success: true; readonly files: readonly PlannedFile[] }
  | { readonly success: false; readonly error: RowError };

/**
 * Reads the text of a `_manifest.json` as ingest does: at most {@link MAX_BATCH_MANIFEST_BYTES}
 * (`text` is `undefined` when the object is larger), JSON, the manifest's JSON Schema
 * (`manifestValidator`), at most {@link MAX_MANIFEST_FILES} names of at most
 * {@link MAX_MANIFEST_FILE_NAME_LENGTH} characters, each a `.csv` name of the batch folder that
 * gives a kind, none twice, every kind listed. Digests come back in lower case. `tally validate`
 * reads a folder's manifest with it too.
 *
 * @example
 * batchPlanOf('{"files":[]}', validator); // { success: false, error: { code: 'MANIFEST_INVALID', … } }
 */
export const batchPlanOf = (
  text: string | undefined,
  manifestValidator: BatchManifestValidator,
): BatchPlanReading => {
  const invalid = (reason: string) => ({
    success: false as const,
    error: {
      code: 'MANIFEST_INVALID' as const,
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
  const checked = manifestValidator(json);
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
