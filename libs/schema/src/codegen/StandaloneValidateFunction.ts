import type { ErrorObject } from 'ajv';

/**
 * A validate function that ajv compiled ahead of time into `src/generated` (see
 * `renderSchemaValidators`). Like the functions `ajv.compile` returns, it sets `errors` after
 * each call: `null` when `data` is valid.
 *
 * @example
 * ```ts
 * if (!validateItemRow(row)) console.log(validateItemRow.errors?.map((e) => e.schemaPath));
 * ```
 */
export interface StandaloneValidateFunction<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}
