import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { GetObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { ObjectUnavailableError } from '@tally/domain';
import type { ObjectLocation, ObjectSource } from '@tally/domain';
import type { Readable } from 'node:stream';
import { ObjectAccessDeniedError } from './AdapterError';

type UnavailableReason = ConstructorParameters<typeof ObjectUnavailableError>[0];

/**
 * S3 error names meaning "this upload can no longer be read". S3 answers a missing key or
 * version with 404 only to a caller that may list the bucket (`s3:ListBucket`); to anyone else
 * it answers 403, which {@link S3ObjectSource} must treat as a failure.
 */
const UNAVAILABLE_BY_NAME: Readonly<Record<string, UnavailableReason>> = {
  NoSuchKey: 'deleted',
  NoSuchVersion: 'deleted',
  NotFound: 'deleted',
  PreconditionFailed: 'overwritten',
};

/** The same by HTTP status, for errors whose body S3 (or a proxy) left without a code. */
const UNAVAILABLE_BY_STATUS: Readonly<Record<number, UnavailableReason>> = {
  404: 'deleted',
  412: 'overwritten',
};

interface S3ErrorShape {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * {@link ObjectSource} on S3: a streaming GetObject of exactly the upload an event names, from
 * its start or, for a later segment of a file, from a byte on (`Range: bytes=<from>-`). On a
 * versioned bucket the event's `versionId` pins it, so an upload overwritten since is still read
 * as it was (the newer upload brings its own event, and the staging rules decide which is
 * current). Without a version id (an unversioned bucket, the local emulator) `IfMatch` on the
 * eTag pins it, and an overwritten upload is unavailable. Nothing is buffered or written to /tmp;
 * a reader that stops early destroys the body, which closes the connection.
 *
 * A deleted or expired upload is an {@link ObjectUnavailableError}; a denied read is an
 * {@link ObjectAccessDeniedError}, a misconfiguration that retries then the DLQ bring to light.
 *
 * @example
 * for await (const chunk of new S3ObjectSource(s3).open(location)) consume(chunk);
 */
export class S3ObjectSource implements ObjectSource {
  public constructor(private readonly client: S3Client) {}

  public async *open(location: ObjectLocation, from = 0): AsyncIterable<Uint8Array> {
    let body: Readable;
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          ...requestFor(location),
          ...(from > 0 && { Range: `bytes=${from}-` }),
        }),
      );
      body = response.Body as Readable;
    } catch (error) {
      throw errorFor(location, error);
    }
    yield* body;
  }
}

const requestFor = (location: ObjectLocation): GetObjectCommandInput =>
  location.versionId === undefined
    ? { Bucket: location.bucket, Key: location.key, IfMatch: `"${location.eTag}"` }
    : { Bucket: location.bucket, Key: location.key, VersionId: location.versionId };

const errorFor = (location: ObjectLocation, error: unknown): unknown => {
  const { name = '', $metadata } = error as S3ErrorShape;
  const status = $metadata?.httpStatusCode ?? 0;
  const upload = `s3://${location.bucket}/${location.key} ${
    location.versionId === undefined
      ? `with eTag ${location.eTag}`
      : `version ${location.versionId}`
  }`;
  const reason = UNAVAILABLE_BY_NAME[name] ?? UNAVAILABLE_BY_STATUS[status];
  if (reason !== undefined) {
    return new ObjectUnavailableError(reason, `${upload} is no longer there (${name || status})`, {
      cause: error,
    });
  }
  if (name === 'AccessDenied' || status === 403) {
    return new ObjectAccessDeniedError(
      `reading ${upload} was denied: the function's role needs s3:GetObject, s3:GetObjectVersion and s3:ListBucket on the input bucket`,
      { cause: error },
    );
  }
  return error;
};
