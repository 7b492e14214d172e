import { validateErrorMessage as validate } from '../generated/messageSchemaValidators';
import { createMessageValidator } from './createMessageValidator';

/**
 * Checks a parsed `error_message` against `errorMessageSchema`, compiled ahead of time.
 *
 * @example
 * ```ts
 * validateErrorMessage({ type: 'error_message', message: 'x', code: 'NOPE', batch_id: 'b1' });
 * // { success: false, error: { message: 'message/code must be equal to one of the allowed values' } }
 * ```
 */
export const validateErrorMessage = createMessageValidator(validate);
