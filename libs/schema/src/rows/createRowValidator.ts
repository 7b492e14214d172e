import type { FieldError, RowValidator } from '@tally/domain';
import type { ErrorObject, JSONSchemaType } from 'ajv';
import type { StandaloneValidateFunction } from '../codegen/StandaloneValidateFunction';
import type { ColumnRule, RowSchemaShape } from './fieldErrorTable';
import { FieldErrorTable } from './fieldErrorTable';

/** One error per bad column (its most specific rule), in the schema's column order. */
function toFieldErrors(
  table: FieldErrorTable,
  errors: readonly ErrorObject[],
  row: Readonly<Record<string, string>>,
): FieldError[] {
  const chosen = new Map<string, ColumnRule>();
  for (const error of errors) {
    const rule = table.ruleFor(error);
    const current = chosen.get(rule.column);
    if (current === undefined || rule.rank < current.rank) chosen.set(rule.column, rule);
  }
  return [...chosen.values()]
    .sort((a, b) => a.columnIndex - b.columnIndex)
    .map(({ code, column, reason }) => {
      const value: unknown = row[column];
      return { code, column, value: typeof value === 'string' ? value : '', reason };
    });
}

/**
 * A {@link RowValidator} from `validate`, the standalone code ajv compiled from `schema`, and
 * the `x-tally-error` annotations of `schema`, which give each failing location its error code.
 * A valid row costs one compiled check and one small result object; the row itself is returned,
 * not copied.
 *
 * @example
 * ```ts
 * const validateItem = createRowValidator(validateItemRow, itemRowSchema);
 * validateItem({ order_reference: 'O1', item_name: 'Pen', quantity: '0', total_price: '1' });
 * // { success: false, errors: [{ code: 'VALUE_OUT_OF_RANGE', column: 'quantity', value: '0', ... }] }
 * ```
 */
export function createRowValidator<T>(
  validate: StandaloneValidateFunction<T>,
  schema: JSONSchemaType<T> & RowSchemaShape,
): RowValidator<T> {
  const table = new FieldErrorTable(schema);
  return (row) => {
    if (validate(row)) return { success: true, data: row };
    return { success: false, errors: toFieldErrors(table, validate.errors ?? [], row) };
  };
}
