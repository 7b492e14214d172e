import type { BatchState } from '../lifecycle/BatchState';
import type { StoredBatchState } from '../ports/BatchStateStore';
import type { RecordValue, StoredRecord } from '../ports/RecordStore';
import type { StagedChunk, StagedUploadRef, StagingStore } from '../ports/StagingStore';
import { StagedRowsMissingError } from '../ports/StagingStore';

/** Options of {@link InMemoryStagingStore}. */
export interface InMemoryStagingStoreOptions {
  /** The chunk size it accepts. Default 300,000 bytes, as the DynamoDB adapter's. */
  readonly maxChunkBytes?: number;
  /** The clock that decides expiry (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link StagingStore} in memory, for unit tests of the use cases and handlers. Storage
 * primitives only, like the DynamoDB adapter, and held to the same contract
 * (`describeStagingStoreContract`): conditional writes by generation, expired states and chunks
 * read as absent. Counts calls so tests can assert on them.
 */
export class InMemoryStagingStore implements StagingStore {
  public readonly maxChunkBytes: number;
  public readonly chunks = new Map<string, StagedChunk>();
  public readonly calls = { putChunks: 0, readBatchState: 0, writeBatchState: 0, conflicts: 0 };
  private readonly states = new Map<string, StoredBatchState>();
  private readonly records = new Map<string, StoredRecord & { readonly expiresAt: number }>();
  private readonly now: () => number;

  public constructor(options: InMemoryStagingStoreOptions = {}) {
    this.maxChunkBytes = options.maxChunkBytes ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  public async putChunks(chunks: readonly StagedChunk[]): Promise<void> {
    this.calls.putChunks += 1;
    for (const chunk of chunks) {
      this.chunks.set(
        chunkKey(chunk.batchId, chunk.key, chunk.version, chunk.bucket ?? 0, chunk.index),
        chunk,
      );
    }
  }

  public async *readChunks(batchId: string, upload: StagedUploadRef): AsyncIterable<string> {
    for (let index = 0; index < upload.chunks; index += 1) {
      const chunk = this.chunks.get(
        chunkKey(batchId, upload.key, upload.version, upload.bucket ?? 0, index),
      );
      if (chunk === undefined || chunk.expiresAt <= this.now()) {
        throw new StagedRowsMissingError(
          upload.key,
          `chunk ${index} of ${upload.chunks} of ${upload.key} (version ${upload.version}) is missing`,
        );
      }
      yield chunk.rows;
    }
  }

  public async readBatchState(batchId: string): Promise<StoredBatchState | undefined> {
    this.calls.readBatchState += 1;
    const stored = this.live(batchId);
    return stored && { state: structuredClone(stored.state), generation: stored.generation };
  }

  public async writeBatchState(state: BatchState, expected: number | undefined): Promise<boolean> {
    this.calls.writeBatchState += 1;
    const live = this.live(state.batchId);
    if (expected === undefined ? live !== undefined : live?.generation !== expected) {
      this.calls.conflicts += 1;
      return false;
    }
    const generation = (this.states.get(state.batchId)?.generation ?? 0) + 1;
    this.states.set(state.batchId, { state: structuredClone(state), generation });
    return true;
  }

  public async readRecord(batchId: string, name: string): Promise<StoredRecord | undefined> {
    const stored = this.liveRecord(batchId, name);
    return stored && { value: structuredClone(stored.value), generation: stored.generation };
  }

  public async writeRecord(
    batchId: string,
    name: string,
    value: RecordValue,
    expected: number | undefined,
    expiresAt: number,
  ): Promise<boolean> {
    const live = this.liveRecord(batchId, name);
    if (expected === undefined ? live !== undefined : live?.generation !== expected) {
      this.calls.conflicts += 1;
      return false;
    }
    const key = recordKey(batchId, name);
    const generation = (this.records.get(key)?.generation ?? 0) + 1;
    this.records.set(key, { value: structuredClone(value), generation, expiresAt });
    return true;
  }

  private liveRecord(batchId: string, name: string) {
    const stored = this.records.get(recordKey(batchId, name));
    return stored !== undefined && stored.expiresAt > this.now() ? stored : undefined;
  }

  /** The batch's live state, for assertions. */
  public stateOf(batchId: string): BatchState | undefined {
    return this.live(batchId)?.state;
  }

  private live(batchId: string): StoredBatchState | undefined {
    const stored = this.states.get(batchId);
    return stored !== undefined && stored.state.expiresAt > this.now() ? stored : undefined;
  }
}

const chunkKey = (
  batchId: string,
  key: string,
  version: string,
  bucket: number,
  index: number,
): string => JSON.stringify([batchId, key, version, bucket, index]);

const recordKey = (batchId: string, name: string): string => JSON.stringify([batchId, name]);
