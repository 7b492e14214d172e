import type { ErrorCode } from './errorCodes';

/**
 * A problem found in the input, as data. Becomes one `error_message`. `line` is the physical
 * line (1-based, header is line 1) where the offending record starts; it is absent for
 * problems with the whole object, such as an invalid key.
 */
export interface RowError {
  readonly code: ErrorCode;
  /** File name within the batch folder, e.g. `orders.csv`. */
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly value?: string;
  /** A sentence for people: names the file, the line, the column and the reason. */
  readonly message: string;
}
