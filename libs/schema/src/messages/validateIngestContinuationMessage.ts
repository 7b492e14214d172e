import { validateIngestContinuationMessage as validate } from '../generated/messageSchemaValidators';
import { createMessageValidator } from './createMessageValidator';

/**
 * Checks a parsed ingest-queue message body against `ingestContinuationMessageSchema`, compiled
 * ahead of time. A wrong shape is returned as `{ success: false }`, never thrown, so the handler
 * can fail the record with the reason.
 *
 * @example
 * ```ts
 * validateIngestContinuationMessage({ type: 'ingest_continuation', segment: 0 });
 * // { success: false, error: { message: "message must have required property 'bucket', ..." } }
 * ```
 */
export const validateIngestContinuationMessage = createMessageValidator(validate);
