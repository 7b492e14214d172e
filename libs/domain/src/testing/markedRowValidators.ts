import { FILE_KINDS } from '../batch/fileKind';
import type { RowOfKind } from '../rows/rowTypes';
import type { RowValidator, RowValidators } from '../validation/RowValidator';

/**
 * Row validators for use-case tests that must not depend on the schema library: a row is
 * valid unless one of its values is the marker `BAD`, which yields a VALUE_REQUIRED error for
 * that column. The real rules are tested in `@tally/schema`.
 */
export const markedRowValidators = (): RowValidators => {
  const validator =
    <T>(): RowValidator<T> =>
    (row) => {
      const errors = Object.entries(row)
        .filter(([, value]) => value === 'BAD')
        .map(([column, value]) => ({
          code: 'VALUE_REQUIRED' as const,
          column,
          value,
          reason: 'is marked bad',
        }));
      return errors.length > 0
        ? { success: false, errors }
        : { success: true, data: row as unknown as T };
    };
  return Object.fromEntries(
    FILE_KINDS.map((kind) => [kind, validator<RowOfKind[typeof kind]>()]),
  ) as unknown as RowValidators;
};
