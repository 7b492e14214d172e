import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ObjectUnavailableError } from '@tally/domain';
import type { ObjectLocation, ObjectSource } from '@tally/domain';
import type { Readable } from 'node:stream';

/** S3 error names meaning "this upload is no longer the object at that key". */
const GONE = new Set(['NoSuchKey', 'PreconditionFailed', 'NotFound']);

/**
 * {@link ObjectSource} on S3: a streaming GetObject pinned to the event's eTag with `IfMatch`,
 * so a file overwritten since its event is never read under the old event's identity (the new
 * upload has its own event). Nothing is buffered or written to /tmp.
 *
 * @example
 * for await (const chunk of new S3ObjectSource(s3).open(location)) consume(chunk);
 */
export class S3ObjectSource implements ObjectSource {
  public constructor(private readonly client: S3Client) {}

  public async *open(location: ObjectLocation): AsyncIterable<Uint8Array> {
    let body: Readable;
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: location.bucket,
          Key: location.key,
          IfMatch: `"${location.eTag}"`,
        }),
      );
      body = response.Body as Readable;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (GONE.has(name)) {
        throw new ObjectUnavailableError(
          `s3://${location.bucket}/${location.key} with eTag ${location.eTag} is no longer there (${name})`,
          { cause: error },
        );
      }
      throw error;
    }
    yield* body;
  }
}
