import Ajv from 'ajv';
import type { AnySchemaObject, ValidateFunction } from 'ajv';
import type { MessageValidation } from './MessageValidation';

let messageAjv: Ajv | undefined;

/**
 * A validator of one message schema that compiles on its first call, so a Lambda pays only for
 * the schemas it uses, and only once per container. All message schemas share one ajv instance.
 *
 * @example
 * ```ts
 * const validateBatchReady = createMessageValidator<BatchReadyMessage>(batchReadyMessageSchema);
 * ```
 */
export function createMessageValidator<T>(
  schema: AnySchemaObject,
): (value: unknown) => MessageValidation<T> {
  let validate: ValidateFunction<T> | undefined;
  return (value) => {
    // The schemas are constants checked against the meta-schema by the tests, not at cold start.
    messageAjv ??= new Ajv({ allErrors: true, strict: true, validateSchema: false });
    validate ??= messageAjv.compile<T>(schema);
    if (validate(value)) return { success: true, data: value };
    return {
      success: false,
      error: { message: messageAjv.errorsText(validate.errors, { dataVar: 'message' }) },
    };
  };
}
