import type {
  BatchManifestDocument,
  BatchManifestValidator,
} from '../validation/BatchManifestValidator';

/**
 * A {@link BatchManifestValidator} for use-case tests that must not depend on the schema
 * library: accepts `{ files: [{ name, rows?, sha256? }, …] }` with a string name, an integer
 * `rows` and a string `sha256`, and nothing else. The JSON Schema itself is tested in
 * `@tally/schema`.
 */
export const structuralManifestValidator: BatchManifestValidator = (value) => {
  const files = (value as { files?: unknown } | null)?.files;
  if (typeof value !== 'object' || value === null || !Array.isArray(files))
    return { success: false, error: 'it must be an object with a "files" array' };
  for (const entry of files as unknown[]) {
    const file = entry as { name?: unknown; rows?: unknown; sha256?: unknown } | null;
    if (
      typeof file !== 'object' ||
      file === null ||
      typeof file.name !== 'string' ||
      (file.rows !== undefined && !Number.isInteger(file.rows)) ||
      (file.sha256 !== undefined && typeof file.sha256 !== 'string')
    ) {
      return {
        success: false,
        error: 'each file must be { "name": string, "rows"?: integer, "sha256"?: string }',
      };
    }
  }
  return { success: true, data: value as BatchManifestDocument };
};
