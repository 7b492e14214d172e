import type { ErrorCode } from '../errors/errorCodes';
import { TallyError } from '../errors/TallyError';

/** The codes a CSV file can fail with as a whole while it is read. */
export type CsvFileErrorCode = Extract<
  ErrorCode,
  'FILE_NOT_UTF8' | 'FILE_MALFORMED_CSV' | 'LINE_TOO_LONG'
>;

/**
 * The CSV byte stream cannot be read any further: the rest of the file is unusable, so the
 * reader stops and the whole file is rejected. `line` is the physical line (1-based) where the
 * problem was found; `message` says what is wrong without naming the file (the reader does not
 * know it), so `validateFile` prefixes it.
 *
 * @example
 * ```ts
 * throw new CsvFileError('LINE_TOO_LONG', 12, 'a record is longer than 65536 bytes', { cause });
 * ```
 */
export class CsvFileError extends TallyError {
  readonly code: CsvFileErrorCode;
  readonly line: number;

  constructor(code: CsvFileErrorCode, line: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.line = line;
  }
}
