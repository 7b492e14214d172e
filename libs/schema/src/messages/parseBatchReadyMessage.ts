import type { BatchReadyMessage } from '@tally/domain';
import { validateBatchReadyMessage as validate } from '../generated/messageSchemaValidators';
import { createMessageValidator } from './createMessageValidator';
import type { MessageValidation } from './MessageValidation';

const validateBatchReadyMessage = createMessageValidator(validate);

/**
 * Parses the body of an aggregation-queue record into a {@link BatchReadyMessage}. Bad JSON and
 * a wrong shape are both returned as `{ success: false }`, never thrown, so the handler can
 * report the record as a failure with the reason.
 *
 * @example
 * ```ts
 * const result = parseBatchReadyMessage(record.body);
 * if (!result.success) throw new Error(`bad batch_ready message: ${result.error.message}`);
 * await aggregateBatch(result.data);
 * ```
 */
export function parseBatchReadyMessage(body: string): MessageValidation<BatchReadyMessage> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return {
      success: false,
      error: {
        message: `body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
  return validateBatchReadyMessage(value);
}
