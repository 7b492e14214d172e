/** The batch manifest object (`_manifest.json`) once it has the shape of its JSON Schema. */
export interface BatchManifestDocument {
  readonly files: readonly {
    /** A file name in the batch folder, e.g. `items-2.csv`. */
    readonly name: string;
    /** The number of data records the file has (header and empty lines not counted). */
    readonly rows?: number;
    /** The hex SHA-256 of the file's bytes. */
    readonly sha256?: string;
  }[];
}

/**
 * Port: checks a parsed `_manifest.json` against its JSON Schema (implemented with ajv in
 * `@tally/schema`), returning the document or a sentence saying what is wrong.
 */
export type BatchManifestValidator = (
  value: unknown,
) =>
  | { readonly success: true; readonly data: BatchManifestDocument }
  | { readonly success: false; readonly error: string };
