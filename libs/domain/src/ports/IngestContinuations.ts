/**
 * Internal message on the ingest queue: read an upload on from `segment`, where an earlier
 * invocation stopped (its checkpoint says where the segment starts). It names the upload as its
 * S3 event did, so the next invocation reads the same object version.
 */
export interface IngestContinuationMessage {
  readonly type: 'ingest_continuation';
  readonly bucket: string;
  /** The decoded object key. */
  readonly key: string;
  readonly size: number;
  readonly e_tag: string;
  readonly sequencer: string;
  /** The S3 version id, when the event named one. */
  readonly version_id?: string;
  /** The segment to read next: 1 for the second segment of the file. */
  readonly segment: number;
}

/**
 * Port: hands the rest of a file to a later ingest invocation (the ingest queue). Delivery is
 * at-least-once: ingest acknowledges a continuation whose segment was read already.
 */
export interface IngestContinuations {
  continueIngest(message: IngestContinuationMessage): Promise<void>;
}
