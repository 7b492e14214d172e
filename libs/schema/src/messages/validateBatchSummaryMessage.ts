import { validateBatchSummaryMessage as validate } from '../generated/messageSchemaValidators';
import { createMessageValidator } from './createMessageValidator';

/**
 * Checks a parsed `batch_summary` against `batchSummaryMessageSchema`, compiled ahead of time.
 *
 * @example
 * ```ts
 * validateBatchSummaryMessage({ type: 'batch_summary', batch_id: 'b1', revision: 0 });
 * // { success: false, error: { message: "message must have required property 'files', ..." } }
 * ```
 */
export const validateBatchSummaryMessage = createMessageValidator(validate);
