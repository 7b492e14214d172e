import type { RowError } from '../errors/RowError';

/**
 * The error that rejects a file larger than `maxObjectBytes` before a byte of it is read:
 * ingest sends it, and `npm run validate` prints it.
 *
 * @example
 * ```ts
 * fileTooLargeError('items.csv', 2048, 1024);
 * // { code: 'FILE_TOO_LARGE', file: 'items.csv', value: '2048',
 * //   message: 'items.csv is 2048 bytes; the limit is 1024 bytes' }
 * ```
 */
export const fileTooLargeError = (
  file: string,
  size: number,
  maxObjectBytes: number,
): RowError => ({
  code: 'FILE_TOO_LARGE',
  file,
  message: `${file} is ${size} bytes; the limit is ${maxObjectBytes} bytes`,
  value: String(size),
});
