import type { ErrorCode } from '../errors/errorCodes';
import type { FileKind } from '../batch/fileKind';
import type { RowOfKind } from '../rows/rowTypes';

/** Why one value of a row was rejected. */
export interface FieldError {
  readonly code: ErrorCode;
  readonly column: string;
  readonly value: string;
  /** The reason, e.g. `must be an integer >= 1`. */
  readonly reason: string;
}

/** The outcome of validating one row: the typed row, or every field error found. */
export type RowValidation<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly errors: readonly FieldError[] };

/** Validates one CSV row (column name -> cell text, required columns present). */
export type RowValidator<T> = (row: Readonly<Record<string, string>>) => RowValidation<T>;

/**
 * The row validators of every kind. A port: `@tally/schema` implements it with ajv and the
 * JSON Schemas, so the core never depends on a schema engine.
 */
export type RowValidators = { readonly [K in FileKind]: RowValidator<RowOfKind[K]> };
