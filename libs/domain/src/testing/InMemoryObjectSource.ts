import type { ObjectLocation, ObjectSource } from '../ports/ObjectSource';
import { ObjectUnavailableError } from '../ports/ObjectSource';

/**
 * An {@link ObjectSource} over objects held in memory, yielded in small chunks so tests cross
 * chunk boundaries. An object is found by bucket, key and eTag, like a pinned S3 GET, and read
 * from any byte, like a ranged one.
 */
export class InMemoryObjectSource implements ObjectSource {
  private readonly objects = new Map<string, Uint8Array>();
  /** Each read so far: the key, and the byte it started at. */
  public readonly opened: { readonly key: string; readonly from: number }[] = [];

  public constructor(private readonly chunkBytes = 7) {}

  /** Stores `content` and returns the location an S3 event would name. */
  public put(
    key: string,
    content: string | Uint8Array,
    sequencer = '0A',
    bucket = 'input',
  ): ObjectLocation {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const eTag = `etag-${this.objects.size + 1}`;
    this.objects.set(JSON.stringify([bucket, key, eTag]), bytes);
    return { bucket, key, size: bytes.length, eTag, sequencer };
  }

  /** Deletes the upload at `location`, as a user deleting the object would. */
  public delete(location: ObjectLocation): void {
    this.objects.delete(JSON.stringify([location.bucket, location.key, location.eTag]));
  }

  public async *open(location: ObjectLocation, from = 0): AsyncIterable<Uint8Array> {
    this.opened.push({ key: location.key, from });
    const bytes = this.objects.get(JSON.stringify([location.bucket, location.key, location.eTag]));
    if (!bytes)
      throw new ObjectUnavailableError(
        'deleted',
        `${location.key} (${location.eTag}) is not stored`,
      );
    for (let start = from; start < bytes.length; start += this.chunkBytes) {
      // A copy, as a stream gives: csv-parser rewrites the chunks it is given in place, which
      // would change the stored object for its next read.
      yield Buffer.from(bytes.subarray(start, start + this.chunkBytes));
    }
  }
}
