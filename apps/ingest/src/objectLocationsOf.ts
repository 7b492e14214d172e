import type { ObjectLocation } from '@tally/domain';
import type { S3Event } from 'aws-lambda';

/** What one ingest-queue message carries. */
export type S3Notification =
  /** S3 sends this once when a notification is configured; there is nothing to ingest. */
  | { readonly type: 'test-event' }
  | { readonly type: 'objects'; readonly objects: readonly ObjectLocation[] };

/**
 * S3 writes keys in events form-URL-encoded (`my batch/é.csv` arrives as `my+batch/%C3%A9.csv`),
 * so `+` must become a space before percent-decoding, never after.
 */
export const decodeEventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The version an event names, when it names one: a versioned bucket sends the new version's id;
 * an unversioned bucket omits it or sends the string "null" (the id S3 gives objects written
 * while versioning was off), and so does the local emulator.
 */
const versionOf = (versionId: string | undefined): { versionId?: string } =>
  versionId === undefined || versionId === '' || versionId === 'null' ? {} : { versionId };

/**
 * Reads the S3 notification in a parsed ingest-queue message body.
 * Throws on a body that is not an S3 notification: such a message can't be processed however
 * often it is retried, and belongs in the DLQ for an operator to inspect.
 *
 * @example
 * objectLocationsOf(JSON.parse(record.body)); // { type: 'objects', objects: [{ bucket, key, size, eTag, sequencer, versionId }] }
 */
export const objectLocationsOf = (body: unknown): S3Notification => {
  const parsed = (typeof body === 'object' && body !== null ? body : {}) as Partial<S3Event> & {
    Event?: string;
  };
  if (parsed.Event === 's3:TestEvent') return { type: 'test-event' };
  if (!Array.isArray(parsed.Records)) {
    throw new TypeError('message body is neither an S3 event notification nor an s3:TestEvent');
  }
  return {
    type: 'objects',
    objects: parsed.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
      (record) => ({
        bucket: record.s3.bucket.name,
        key: decodeEventKey(record.s3.object.key),
        size: record.s3.object.size,
        eTag: record.s3.object.eTag,
        sequencer: record.s3.object.sequencer,
        ...versionOf(record.s3.object.versionId),
      }),
    ),
  };
};
