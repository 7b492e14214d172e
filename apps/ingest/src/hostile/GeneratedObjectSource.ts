import type { ObjectLocation, ObjectSource } from '@tally/domain';
import { ObjectUnavailableError } from '@tally/domain';
import type { GeneratedContent } from './generatedContent';
import { sizeOf } from './generatedContent';

/**
 * An {@link ObjectSource} whose objects are generated chunk by chunk as they are read, so a test
 * can stream a 20 MB object without holding it. Counts the bytes handed out (to prove a reader
 * stopped early) and calls `onChunk` before each chunk (to sample the heap while reading).
 */
export class GeneratedObjectSource implements ObjectSource {
  private readonly objects = new Map<string, GeneratedContent>();
  /** Bytes yielded by every `open` so far. */
  public bytesRead = 0;

  public constructor(private readonly onChunk: () => void = () => undefined) {}

  /** Stores `content` under `key` and returns the location an S3 event would name. */
  public put(key: string, content: GeneratedContent, sequencer = '0A'): ObjectLocation {
    const eTag = `etag-${this.objects.size + 1}`;
    this.objects.set(JSON.stringify([key, eTag]), content);
    return { bucket: 'input', key, size: sizeOf(content), eTag, sequencer };
  }

  public async *open(location: ObjectLocation, from = 0): AsyncIterable<Uint8Array> {
    const content = this.objects.get(JSON.stringify([location.key, location.eTag]));
    if (!content) throw new ObjectUnavailableError('deleted', `${location.key} is not stored`);
    // A ranged read: the bytes before `from` are generated, but neither counted nor yielded.
    let skip = from;
    for (const generated of content()) {
      const chunk = skip >= generated.length ? undefined : generated.subarray(skip);
      skip = Math.max(0, skip - generated.length);
      if (chunk === undefined) continue;
      this.onChunk();
      this.bytesRead += chunk.length;
      yield chunk;
    }
  }
}
