import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  BATCH_MANIFEST_FILE,
  batchKeyOf,
  MAX_BATCH_MANIFEST_BYTES,
  parseBatchKey,
} from '@tally/domain';
import type { FileKind, RowError } from '@tally/domain';
import { BatchFolderError } from './BatchFolderError';

/** One CSV file of a batch folder, with the kind its name gives it. */
export interface BatchFolderFile {
  readonly kind: FileKind;
  /** The file name, as the pipeline names it in messages, e.g. `orders-june.csv`. */
  readonly file: string;
  /** The object key it would be uploaded under, e.g. `incoming/2024-06-01/orders-june.csv`. */
  readonly key: string;
  readonly path: string;
  readonly size: number;
}

/** The folder's `_manifest.json`, read as ingest reads the object. */
export interface BatchFolderManifest {
  /** Its UTF-8 text; absent when it is larger than `MAX_BATCH_MANIFEST_BYTES` (then unread). */
  readonly text?: string;
}

/** What a batch folder holds, read the way the pipeline reads uploaded keys. */
export interface BatchFolder {
  /** The folder's base name: the batch id its files would be uploaded under. */
  readonly batchId: string;
  /** Every `.csv` file whose name gives a kind, several of a kind allowed, in name order. */
  readonly files: readonly BatchFolderFile[];
  /** The batch manifest, when the folder has a `_manifest.json`. */
  readonly manifest?: BatchFolderManifest;
  /** `.csv` files whose name gives no kind: ingest would reject their key (`KEY_INVALID`). */
  readonly keyErrors: readonly RowError[];
  /**
   * Entries that are not part of the batch: sub-folders and files that neither end in `.csv`
   * (lower case) nor are `_manifest.json`.
   */
  readonly ignored: readonly string[];
}

/**
 * Reads a batch folder as `tally run` uploads it: every file ending in `.csv` (lower case, the
 * suffix the bucket notifies) directly in it becomes the key `<inputPrefix><folder name>/<file>`,
 * and `parseBatchKey` gives its kind, so `Orders-June.csv` is an orders file exactly as in the
 * pipeline, and `orders.CSV` is ignored as the pipeline would never see it. A kind may have
 * several files (parts, or a second file the batch will not use). `_manifest.json` is the
 * batch manifest, which the bucket notifies too. Entries are taken in name order (by UTF-16
 * code units, so `Items.csv` comes before `items.csv`).
 *
 * Throws {@link BatchFolderError} when the folder cannot be read.
 *
 * @example
 * ```ts
 * const batch = await readBatchFolder('./2024-06-01', 'incoming/');
 * batch.files.map((file) => file.file); // ['customers.csv', 'items-1.csv', 'items-2.csv', 'orders.csv']
 * ```
 */
export const readBatchFolder = async (
  folder: string,
  inputPrefix: string,
): Promise<BatchFolder> => {
  const path = resolve(folder);
  const batchId = basename(path);
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw new BatchFolderError(`cannot read the batch folder ${folder}`, { cause: error });
  }
  if (batchId === '') throw new BatchFolderError(`${folder} has no name to use as the batch id`);

  const files: BatchFolderFile[] = [];
  let manifest: BatchFolderManifest | undefined;
  const keyErrors: RowError[] = [];
  const ignored: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entryPath = join(path, entry.name);
    const size = await fileSizeAt(entryPath);
    if (size === undefined) {
      ignored.push(entry.name);
    } else if (entry.name === BATCH_MANIFEST_FILE) {
      manifest = size > MAX_BATCH_MANIFEST_BYTES ? {} : { text: await readFile(entryPath, 'utf8') };
    } else if (!entry.name.endsWith('.csv')) {
      ignored.push(entry.name);
    } else {
      const key = batchKeyOf(inputPrefix, batchId, entry.name);
      const parsed = parseBatchKey(key, inputPrefix);
      if (parsed.success) {
        files.push({ kind: parsed.data.kind, file: parsed.data.file, key, path: entryPath, size });
      } else {
        keyErrors.push(parsed.error);
      }
    }
  }
  return { batchId, files, ...(manifest && { manifest }), keyErrors, ignored };
};

/** The size of the file at `path` (following a symbolic link), or `undefined` if it is none. */
const fileSizeAt = async (path: string): Promise<number | undefined> => {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
};
