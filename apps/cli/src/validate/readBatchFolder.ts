import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { batchKeyOf, parseBatchKey } from '@tally/domain';
import type { FileKind, RowError } from '@tally/domain';
import { BatchFolderError } from './BatchFolderError';

/** One CSV file of a batch folder, with the kind its name gives it. */
export interface BatchFolderFile {
  readonly kind: FileKind;
  /** The file name, as the pipeline names it in messages, e.g. `orders-june.csv`. */
  readonly file: string;
  readonly path: string;
  readonly size: number;
}

/** What a batch folder holds, read the way the pipeline reads uploaded keys. */
export interface BatchFolder {
  /** The folder's base name: the batch id its files would be uploaded under. */
  readonly batchId: string;
  readonly files: { readonly [K in FileKind]?: BatchFolderFile };
  /** `.csv` files whose name gives no kind: ingest would reject their key (`KEY_INVALID`). */
  readonly keyErrors: readonly RowError[];
  /** Entries that are not part of the batch: sub-folders and files not ending in `.csv` (lower case). */
  readonly ignored: readonly string[];
}

/**
 * Reads a batch folder as `npm start` uploads it: every file ending in `.csv` (lower case, the
 * suffix the bucket notifies) directly in it becomes the key `<inputPrefix><folder name>/<file>`,
 * and `parseBatchKey` gives its kind, so `Orders-June.csv` is an orders file exactly as in the
 * pipeline, and `orders.CSV` is ignored as the pipeline would never see it. Entries are taken in
 * name order.
 *
 * Throws {@link BatchFolderError} when the folder cannot be read, when its name cannot be a
 * batch id, or when it holds two files of one kind: the pipeline would keep whichever it
 * processed last, so no single answer exists.
 *
 * @example
 * ```ts
 * const batch = await readBatchFolder('./2024-06-01', 'incoming/');
 * batch.files.items?.file; // 'items.csv'
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
    throw new BatchFolderError(`cannot read the batch folder ${folder}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  if (batchId === '') throw new BatchFolderError(`${folder} has no name to use as the batch id`);

  const files: { [K in FileKind]?: BatchFolderFile } = {};
  const keyErrors: RowError[] = [];
  const ignored: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entryPath = join(path, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await isFileAt(entryPath)));
    if (!isFile || !entry.name.endsWith('.csv')) {
      ignored.push(entry.name);
      continue;
    }
    const parsed = parseBatchKey(batchKeyOf(inputPrefix, batchId, entry.name), inputPrefix);
    if (!parsed.success) {
      keyErrors.push(parsed.error);
      continue;
    }
    const { kind, file } = parsed.data;
    const other = files[kind];
    if (other !== undefined) {
      throw new BatchFolderError(
        `${folder} holds two ${kind} files, ${other.file} and ${file}: the pipeline would use whichever it processes last; keep one`,
      );
    }
    files[kind] = { kind, file, path: entryPath, size: (await stat(entryPath)).size };
  }
  return { batchId, files, keyErrors, ignored };
};

const isFileAt = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

/** The system error code (`ENOENT`, `EACCES`…); Node's fs errors always carry one. */
const reasonOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : String(error);
