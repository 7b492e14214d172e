import type { RowError } from '../errors/RowError';
import { MAX_KEYS_PER_BATCH } from '../lifecycle/commitUpload';

/**
 * The error for a new object key of a batch that records {@link MAX_KEYS_PER_BATCH} keys
 * already: the file is neither read nor recorded.
 *
 * @example
 * tooManyFilesError('items-121.csv').code; // 'BATCH_TOO_MANY_FILES'
 */
export const tooManyFilesError = (file: string): RowError => ({
  code: 'BATCH_TOO_MANY_FILES',
  file,
  message: `${file}: the batch already records ${MAX_KEYS_PER_BATCH} object keys, the most one batch keeps, so this new file is neither read nor counted; upload again one of the files it has, or start a new batch`,
});
