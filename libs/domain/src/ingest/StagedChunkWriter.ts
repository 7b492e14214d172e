import type { StagedChunk, StagingStore } from '../ports/StagingStore';
import type { StagedRowsChunk } from '../staging/stagedRowCodec';

/** Chunks held before they are written: bounds memory (this many chunk sizes), keeps writes large. */
const PENDING_CHUNKS = 32;

/** The upload a {@link StagedChunkWriter} writes chunks of. */
export interface ChunkUpload {
  readonly batchId: string;
  readonly key: string;
  readonly version: string;
  /** Epoch ms when the chunks may be dropped. */
  readonly expiresAt: number;
}

/**
 * Writes an upload's chunks in groups, with one write in flight while the caller parses on, so
 * I/O overlaps CPU and memory stays bounded. A failed write is thrown by a later `add` or by
 * `flush`.
 *
 * @example
 * const writer = new StagedChunkWriter(store, upload);
 * await writer.add(0, 7, chunk);
 * await writer.flush(); // every chunk added is written
 */
export class StagedChunkWriter {
  private pending: StagedChunk[] = [];
  private inFlight: Promise<void> = Promise.resolve();

  public constructor(
    private readonly store: StagingStore,
    private readonly upload: ChunkUpload,
  ) {}

  /** Adds chunk `index` of `bucket`; writes the pending group once it is full. */
  public async add(bucket: number, index: number, chunk: StagedRowsChunk): Promise<void> {
    this.pending.push({
      ...this.upload,
      bucket,
      index,
      rowCount: chunk.rowCount,
      rows: chunk.rows,
    });
    if (this.pending.length >= PENDING_CHUNKS) await this.putPending();
  }

  /** Writes what is pending and waits for every write. */
  public async flush(): Promise<void> {
    if (this.pending.length > 0) await this.putPending();
    await this.inFlight;
  }

  /** Drops what is pending and waits for the write in flight, whatever its outcome. */
  public async abandon(): Promise<void> {
    this.pending = [];
    await this.inFlight.catch(() => undefined);
  }

  private async putPending(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    await this.inFlight;
    this.inFlight = this.store.putChunks(group);
    // Observed later by `await this.inFlight`; this keeps a failure meanwhile from being "unhandled".
    this.inFlight.catch(() => undefined);
  }
}
