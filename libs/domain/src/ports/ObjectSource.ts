import { TallyError } from '../errors/TallyError';

/** Where an uploaded object lives, and which upload of it this is. */
export interface ObjectLocation {
  readonly bucket: string;
  /** The decoded object key (S3 events carry it form-URL-encoded; adapters decode it). */
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  /**
   * Orders uploads of the same key: a later upload has a greater sequencer. Compare with
   * {@link compareSequencers}, never as numbers.
   */
  readonly sequencer: string;
}

/**
 * Port: reads an object as a stream of bytes. Implementations must stream (a 1 GB object
 * never sits in memory) and must read the exact upload named by `eTag`, failing otherwise.
 */
export interface ObjectSource {
  open(location: ObjectLocation): AsyncIterable<Uint8Array>;
}

/**
 * The upload an event names is gone: deleted, or overwritten by a newer upload (which brings
 * its own event). Not a failure to retry.
 */
export class ObjectUnavailableError extends TallyError {}
