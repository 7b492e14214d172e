import type { RowError } from '../errors/RowError';
import { TallyUsageError } from '../errors/TallyUsageError';
import type { FileKind } from './fileKind';
import { FILE_KINDS } from './fileKind';

/** What an object key says: the batch it belongs to, the kind of file, and the file name. */
export interface BatchKey {
  readonly batchId: string;
  readonly kind: FileKind;
  /** The file name within the batch folder, e.g. `orders.csv`. */
  readonly file: string;
}

/**
 * The longest batch id, in characters: the batch's state names it in every object key it
 * holds, and the whole state must stay within one stored item (see `MAX_KEYS_PER_BATCH`).
 */
export const MAX_BATCH_ID_LENGTH = 100;

/** The longest file name within a batch folder, in characters, for the same reason. */
export const MAX_FILE_NAME_LENGTH = 100;

/** The outcome of {@link parseBatchKey}. */
export type BatchKeyParse =
  | { readonly success: true; readonly data: BatchKey }
  | { readonly success: false; readonly error: RowError };

/**
 * Reads `<prefix><batch-id>/<file>.csv`. Pass the key already URL-decoded: S3 event
 * notifications encode keys (a space arrives as `+`), so the caller decodes them first.
 *
 * - `prefix` is a folder: `incoming` and `incoming/` mean the same; `''` means the bucket root.
 * - The batch id is the one folder under the prefix. It may hold any character but `/`
 *   (spaces, `+`, `&`, `=`, any Unicode), must not be empty and has at most
 *   {@link MAX_BATCH_ID_LENGTH} characters; the file name at most {@link MAX_FILE_NAME_LENGTH}.
 *   Deeper folders are rejected, not
 *   guessed: in `incoming/a/b/orders.csv` either `a` or `a/b` could be meant.
 * - The kind is the start of the file name, in any case (`Orders-2024.csv` is an orders
 *   file). The name must end in `.csv` in lower case: the bucket notifies ingest only of such
 *   keys (S3's suffix filter is case-sensitive), so a `.CSV` file would never be read; this
 *   rule says so wherever the key is checked (e.g. `npm run validate`).
 *
 * Otherwise returns a `KEY_INVALID` error whose `file` is the key's last segment (the whole key
 * when that is empty) and whose message says what is wrong.
 *
 * @example
 * ```ts
 * parseBatchKey('incoming/2024-06 run #1/Orders.csv', 'incoming/');
 * // { success: true, data: { batchId: '2024-06 run #1', kind: 'orders', file: 'Orders.csv' } }
 * ```
 */
export function parseBatchKey(key: string, prefix: string): BatchKeyParse {
  const folder = asFolder(prefix);
  const rejected = (problem: string): BatchKeyParse => {
    const last = key.slice(key.lastIndexOf('/') + 1);
    return {
      success: false,
      error: {
        code: 'KEY_INVALID',
        file: last === '' ? key : last,
        message: `The object key ${JSON.stringify(key)} ${problem}; expected ${folder}<batch-id>/<customers|orders|items>*.csv`,
      },
    };
  };
  if (!key.startsWith(folder)) return rejected(`is outside the prefix ${JSON.stringify(folder)}`);
  const segments = key.slice(folder.length).split('/');
  const [batchId = '', file = ''] = segments;
  if (segments.length === 1)
    return rejected('names a file directly under the prefix, with no batch folder');
  if (segments.length > 2) return rejected('has folders nested inside the batch folder');
  if (batchId === '') return rejected('has an empty batch id');
  if (batchId.length > MAX_BATCH_ID_LENGTH)
    return rejected(
      `has a batch id of ${batchId.length} characters; batch ids may have at most ${MAX_BATCH_ID_LENGTH}`,
    );
  if (file === '') return rejected('is a folder, not a file');
  if (file.length > MAX_FILE_NAME_LENGTH)
    return rejected(
      `has a file name of ${file.length} characters; file names may have at most ${MAX_FILE_NAME_LENGTH}`,
    );
  if (!file.endsWith('.csv')) return rejected('does not end in .csv (in lower case)');
  const name = file.toLowerCase();
  const kind = FILE_KINDS.find((candidate) => name.startsWith(candidate));
  if (kind === undefined)
    return rejected('names a file whose name starts with none of customers, orders, items');
  return { success: true, data: { batchId, kind, file } };
}

/**
 * The object key of `file` in batch `batchId`: the inverse of {@link parseBatchKey}. Throws
 * {@link TallyUsageError} for a batch id that is empty or holds `/`, or a file name holding
 * `/`, since the key would then belong to another batch or to none.
 *
 * @example
 * ```ts
 * batchKeyOf('incoming/', 'b 1', 'orders.csv'); // 'incoming/b 1/orders.csv'
 * ```
 */
export function batchKeyOf(prefix: string, batchId: string, file: string): string {
  if (batchId === '' || batchId.includes('/') || file === '' || file.includes('/')) {
    throw new TallyUsageError(
      `batchKeyOf needs a batch id and a file name without "/", got ${JSON.stringify(batchId)} and ${JSON.stringify(file)}`,
    );
  }
  return `${asFolder(prefix)}${batchId}/${file}`;
}

function asFolder(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
