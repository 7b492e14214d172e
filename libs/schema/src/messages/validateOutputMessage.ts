import type { BatchSummaryMessage, ErrorMessage } from '@tally/domain';
import type { CustomerMessageJson } from './customerMessageSchema';
import type { MessageValidation } from './MessageValidation';
import { validateBatchSummaryMessage } from './validateBatchSummaryMessage';
import { validateCustomerMessage } from './validateCustomerMessage';
import { validateErrorMessage } from './validateErrorMessage';

/** An output message as JSON (see {@link CustomerMessageJson}). */
export type OutputMessageJson = CustomerMessageJson | ErrorMessage | BatchSummaryMessage;

/**
 * Checks a parsed output-queue message: its `type` picks the schema it must match.
 *
 * @example
 * ```ts
 * const result = validateOutputMessage(JSON.parse(record.body));
 * if (result.success && result.data.type === 'customer_message') total += result.data.total_amount_spent;
 * ```
 */
export function validateOutputMessage(value: unknown): MessageValidation<OutputMessageJson> {
  const type =
    typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type === 'customer_message') return validateCustomerMessage(value);
  if (type === 'error_message') return validateErrorMessage(value);
  if (type === 'batch_summary') return validateBatchSummaryMessage(value);
  return {
    success: false,
    error: {
      message: 'message/type must be "customer_message", "error_message" or "batch_summary"',
    },
  };
}
