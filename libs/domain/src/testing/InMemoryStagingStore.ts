import { FILE_KINDS } from '../batch/fileKind';
import type { FileKind } from '../batch/fileKind';
import { compareSequencers } from '../ingest/compareSequencers';
import type { StagedFile } from '../messages/outputMessageTypes';
import type {
  BatchManifest,
  CommitOutcome,
  ManifestFile,
  StagedChunk,
  StagingStore,
} from '../ports/StagingStore';

interface StoredManifest {
  files: { [K in FileKind]?: ManifestFile };
  readyCombination?: string;
  readyClaimant?: string;
  aggregatedCombination?: string;
  lease?: { combination: string; owner: string; until: number };
}

/**
 * A {@link StagingStore} in memory with the same conditional rules as the DynamoDB adapter,
 * for unit tests of the use cases and handlers. Counts calls so tests can assert on them.
 */
export class InMemoryStagingStore implements StagingStore {
  public readonly chunks = new Map<string, StagedChunk>();
  public readonly manifests = new Map<string, StoredManifest>();
  public readonly calls = {
    putChunks: 0,
    commitFile: 0,
    claimReady: 0,
    leaseAggregation: 0,
    markAggregated: 0,
  };

  public async putChunks(chunks: readonly StagedChunk[]): Promise<void> {
    this.calls.putChunks += 1;
    for (const chunk of chunks) {
      this.chunks.set(chunkKey(chunk.batchId, chunk.kind, chunk.version, chunk.index), chunk);
    }
  }

  public async commitFile(
    batchId: string,
    kind: FileKind,
    file: ManifestFile,
  ): Promise<CommitOutcome> {
    this.calls.commitFile += 1;
    const stored = this.manifestOf(batchId);
    const current = stored.files[kind];
    if (
      current &&
      current.key === file.key &&
      compareSequencers(current.sequencer, file.sequencer) > 0
    ) {
      return { status: 'superseded', manifest: this.snapshot(batchId, stored) };
    }
    stored.files[kind] = file;
    return { status: 'committed', manifest: this.snapshot(batchId, stored) };
  }

  public async claimReady(
    batchId: string,
    combination: string,
    claimant: string,
  ): Promise<boolean> {
    this.calls.claimReady += 1;
    const stored = this.manifestOf(batchId);
    if (stored.readyCombination === combination && stored.readyClaimant !== claimant) return false;
    stored.readyCombination = combination;
    stored.readyClaimant = claimant;
    return true;
  }

  public async readManifest(batchId: string): Promise<BatchManifest | undefined> {
    const stored = this.manifests.get(batchId);
    return stored ? this.snapshot(batchId, stored) : undefined;
  }

  public async *readChunks(
    batchId: string,
    kind: FileKind,
    file: StagedFile,
  ): AsyncIterable<string> {
    for (let index = 0; index < file.chunks; index += 1) {
      const chunk = this.chunks.get(chunkKey(batchId, kind, file.version, index));
      if (!chunk) throw new Error(`missing chunk ${index} of ${kind} ${file.version}`);
      yield chunk.rows;
    }
  }

  public async leaseAggregation(
    batchId: string,
    combination: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<boolean> {
    this.calls.leaseAggregation += 1;
    const stored = this.manifestOf(batchId);
    const lease = stored.lease;
    if (lease && lease.combination === combination && lease.owner !== owner && lease.until >= now)
      return false;
    stored.lease = { combination, owner, until: leaseUntil };
    return true;
  }

  public async markAggregated(batchId: string, combination: string): Promise<void> {
    this.calls.markAggregated += 1;
    this.manifestOf(batchId).aggregatedCombination = combination;
  }

  private manifestOf(batchId: string): StoredManifest {
    let stored = this.manifests.get(batchId);
    if (!stored) {
      stored = { files: {} };
      this.manifests.set(batchId, stored);
    }
    return stored;
  }

  private snapshot(batchId: string, stored: StoredManifest): BatchManifest {
    const files: { [K in FileKind]?: ManifestFile } = {};
    for (const kind of FILE_KINDS) {
      const file = stored.files[kind];
      if (file) files[kind] = { ...file };
    }
    return stored.aggregatedCombination === undefined
      ? { batchId, files }
      : { batchId, files, aggregatedCombination: stored.aggregatedCombination };
  }
}

const chunkKey = (batchId: string, kind: FileKind, version: string, index: number): string =>
  JSON.stringify([batchId, kind, version, index]);
