// The SQS message bodies Amazon S3 sends for a bucket notification, in the exact shape AWS uses,
// so handlers parse locally what they will parse in AWS.
import { randomBytes } from 'node:crypto';

export type S3ObjectCreatedEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';

export interface S3ObjectCreated {
  eventName: S3ObjectCreatedEventName;
  region: string;
  bucket: string;
  /** The object key as stored (decoded). */
  key: string;
  size: number;
  /** The ETag without its quotes (`<md5>` or `<md5>-<parts>` for multipart). */
  eTag: string;
  sequencer: string;
  configurationId: string;
  requestId: string;
  hostId: string;
  time: Date;
}

/** Who the local stack says made each request: the emulators' account, 000000000000. */
const LOCAL_PRINCIPAL_ID = 'AWS:000000000000:local';
const LOCAL_BUCKET_OWNER_ID = 'A000000000000LOCAL';

/**
 * Encodes a key as S3 writes it in an event: `application/x-www-form-urlencoded` (space becomes
 * `+`, `+` becomes `%2B`, `(` becomes `%28`, only letters, digits and `.-_*` stay as they are),
 * except that `/` is left unescaped. Handlers must decode it (`+` first) before calling S3.
 *
 * @example
 * encodeS3EventKey('incoming/my batch/a+b.csv'); // 'incoming/my+batch/a%2Bb.csv'
 */
export const encodeS3EventKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');

/** The `{"Records":[...]}` message for one created object. */
export const s3ObjectCreatedMessage = (event: S3ObjectCreated): string =>
  JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: event.region,
        eventTime: event.time.toISOString(),
        eventName: event.eventName,
        userIdentity: { principalId: LOCAL_PRINCIPAL_ID },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: event.configurationId,
          bucket: {
            name: event.bucket,
            ownerIdentity: { principalId: LOCAL_BUCKET_OWNER_ID },
            arn: `arn:aws:s3:::${event.bucket}`,
          },
          object: {
            key: encodeS3EventKey(event.key),
            size: event.size,
            eTag: event.eTag,
            sequencer: event.sequencer,
          },
        },
      },
    ],
  });

/** A request id in S3's form: 16 upper-case hex digits. */
export const s3RequestId = (): string => randomBytes(8).toString('hex').toUpperCase();

/** An extended request id (`x-amz-id-2`) in S3's form: opaque base64. */
export const s3HostId = (): string => randomBytes(48).toString('base64');

/**
 * The message S3 sends once when a notification configuration is saved. It has no `Records`:
 * a consumer must recognise it and skip it.
 */
export const s3TestEventMessage = (bucket: string, time: Date = new Date()): string =>
  JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: time.toISOString(),
    Bucket: bucket,
    RequestId: s3RequestId(),
    HostId: s3HostId(),
  });
