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
  /**
   * The S3 version id on a versioned bucket: the object source then reads exactly this
   * version, however the key changed since. Absent on an unversioned bucket (and the local
   * emulator), where `eTag` pins the upload instead.
   */
  readonly versionId?: string;
}

/**
 * Port: reads an object as a stream of bytes, from its start or from byte `from` on (a ranged
 * read: a file read in segments goes on where the previous segment ended). Implementations must
 * stream (a 50 GiB object never sits in memory), must close the stream when the reader stops
 * early, and must read the exact upload named by `versionId` or `eTag`, failing otherwise.
 */
export interface ObjectSource {
  open(location: ObjectLocation, from?: number): AsyncIterable<Uint8Array>;
}

/** Why an upload can no longer be read. */
export type UnavailableReason =
  /** The key holds a newer upload, which brings its own event. */
  | 'overwritten'
  /** The upload (or its version) was deleted, or expired by a lifecycle rule. */
  | 'deleted';

/**
 * The upload an event names can no longer be read: overwritten by a newer upload, or deleted.
 * Not a failure to retry.
 *
 * @example
 * throw new ObjectUnavailableError('deleted', 'incoming/b1/items.csv was deleted', { cause });
 */
export class ObjectUnavailableError extends TallyError {
  public readonly reason: UnavailableReason;

  public constructor(reason: UnavailableReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
