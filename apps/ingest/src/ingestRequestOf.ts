import type { IngestContinuationMessage, ObjectLocation } from '@tally/domain';
import { validateIngestContinuationMessage } from '@tally/schema';
import { objectLocationsOf } from './objectLocationsOf';
import type { S3Notification } from './objectLocationsOf';

/** What one ingest-queue message asks: an S3 notification's, or to read a file on. */
export type IngestRequest =
  | S3Notification
  | { readonly type: 'continuation'; readonly location: ObjectLocation; readonly segment: number };

/**
 * Reads an ingest-queue message body: S3 sends notifications there, and ingest sends itself
 * `ingest_continuation` messages to read a long file on. Throws on a body that is neither (or
 * a continuation of the wrong shape): such a message can't be processed however often it is
 * retried, and belongs in the DLQ for an operator to inspect.
 *
 * @example
 * const request = ingestRequestOf(record.body); // { type: 'continuation', location, segment: 3 }
 */
export const ingestRequestOf = (body: string): IngestRequest => {
  const parsed: unknown = JSON.parse(body);
  if ((parsed as { type?: unknown } | null)?.type !== 'ingest_continuation')
    return objectLocationsOf(parsed);
  const continuation = validateIngestContinuationMessage(parsed);
  if (!continuation.success)
    throw new TypeError(`not an ingest_continuation message: ${continuation.error.message}`);
  return {
    type: 'continuation',
    location: locationOf(continuation.data),
    segment: continuation.data.segment,
  };
};

const locationOf = (message: IngestContinuationMessage): ObjectLocation => ({
  bucket: message.bucket,
  key: message.key,
  size: message.size,
  eTag: message.e_tag,
  sequencer: message.sequencer,
  ...(message.version_id !== undefined && { versionId: message.version_id }),
});
