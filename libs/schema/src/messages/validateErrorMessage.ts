import type { ErrorMessage } from '@tally/domain';
import { createMessageValidator } from './createMessageValidator';
import { errorMessageSchema } from './errorMessageSchema';

/**
 * Checks a parsed `error_message` against {@link errorMessageSchema}.
 *
 * @example
 * ```ts
 * validateErrorMessage({ type: 'error_message', message: 'x', code: 'NOPE', batch_id: 'b1' });
 * // { success: false, error: { message: 'message/code must be equal to one of the allowed values' } }
 * ```
 */
export const validateErrorMessage = createMessageValidator<ErrorMessage>(errorMessageSchema);
