import type { RowError } from '@tally/domain';

/**
 * The error that rejects a file larger than `maxObjectBytes` before a byte of it is read.
 * The same text as the one `ingestFile` builds inline (`libs/domain/src/ingest/ingestFile.ts`);
 * `fileTooLargeError.test.ts` runs `ingestFile` to keep the two equal until it moves into the
 * domain.
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
