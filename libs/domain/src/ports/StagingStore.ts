import { TallyError } from '../errors/TallyError';
import type { BatchStateStore } from './BatchStateStore';
import type { RecordStore } from './RecordStore';

/** One chunk of a staged upload: many encoded rows packed into one stored item. */
export interface StagedChunk {
  readonly batchId: string;
  /** The staged upload it belongs to: its object key and version. */
  readonly key: string;
  readonly version: string;
  /**
   * The bucket of the upload the chunk's rows belong to (rows are spread over buckets by a hash
   * of their reference, so a partition of an aggregation reads only its own). Default 0.
   */
  readonly bucket?: number;
  /** 0-based position of the chunk in its bucket; aggregation reads chunks in this order. */
  readonly index: number;
  readonly rowCount: number;
  /** Rows encoded by `encodeStagedRows`. */
  readonly rows: string;
  /** Epoch ms after which the store may drop the chunk (the upload's staged rows expire). */
  readonly expiresAt: number;
}

/** Which staged upload (and which of its buckets) to read, and how many chunks it has. */
export interface StagedUploadRef {
  readonly key: string;
  readonly version: string;
  /** Default 0. */
  readonly bucket?: number;
  readonly chunks: number;
}

/**
 * Chunks of a staged upload are gone: their expiry passed (or they were never all written,
 * which the lifecycle rules out). The batch must get the upload again.
 */
export class StagedRowsMissingError extends TallyError {
  /** The object key of the upload whose rows are missing. */
  public readonly key: string;

  public constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.key = key;
  }
}

/**
 * Port: where ingest stages accepted rows and the state of every batch, and where the
 * aggregator reads them back. Storage primitives only (see {@link BatchStateStore}); the
 * store's own limits, such as its item size, are its business and show here only as the
 * chunk size it accepts.
 */
export interface StagingStore extends BatchStateStore, RecordStore {
  /** The most bytes of encoded rows one chunk may hold (the store's item size, less its keys). */
  readonly maxChunkBytes: number;
  /** Stores chunks, in as many requests as the store needs; a retried put writes the same items. */
  putChunks(chunks: readonly StagedChunk[]): Promise<void>;
  /**
   * Yields the encoded rows of each chunk of an upload's bucket, in chunk order. Throws
   * {@link StagedRowsMissingError} when a chunk is missing.
   */
  readChunks(batchId: string, upload: StagedUploadRef): AsyncIterable<string>;
}
