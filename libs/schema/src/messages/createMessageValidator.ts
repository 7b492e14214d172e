import type { ErrorObject } from 'ajv';
import type { StandaloneValidateFunction } from '../codegen/StandaloneValidateFunction';
import type { MessageValidation } from './MessageValidation';

/** ajv's findings as one sentence, worded as `ajv.errorsText(errors, { dataVar: 'message' })`. */
function describeErrors(errors: readonly ErrorObject[]): string {
  return errors.map((error) => `message${error.instancePath} ${error.message}`).join(', ');
}

/**
 * A message validator from `validate`, the standalone code ajv compiled from a message schema
 * (`npm run generate:schemas`), so checking a message needs no schema compiler at run time.
 *
 * @example
 * ```ts
 * const check = createMessageValidator(validateBatchReadyMessage);
 * check({ type: 'batch_ready' }); // { success: false, error: { message: "message must have required property 'batch_id', ..." } }
 * ```
 */
export function createMessageValidator<T>(
  validate: StandaloneValidateFunction<T>,
): (value: unknown) => MessageValidation<T> {
  return (value) => {
    if (validate(value)) return { success: true, data: value };
    return { success: false, error: { message: describeErrors(validate.errors ?? []) } };
  };
}
