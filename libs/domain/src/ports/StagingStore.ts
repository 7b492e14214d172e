import type { FileKind } from '../batch/fileKind';
import type { StagedFile } from '../messages/outputMessageTypes';

/** One chunk of a staged file: many encoded rows packed into one stored item. */
export interface StagedChunk {
  readonly batchId: string;
  readonly kind: FileKind;
  readonly version: string;
  /** 0-based position of the chunk in its file; aggregation reads chunks in this order. */
  readonly index: number;
  readonly rowCount: number;
  /** Rows encoded by `encodeStagedRows`. */
  readonly rows: string;
}

/** A fully staged file, as recorded in the batch manifest. */
export interface ManifestFile extends StagedFile {
  readonly key: string;
  readonly sequencer: string;
  readonly rowCount: number;
}

/** What the store knows about a batch. */
export interface BatchManifest {
  readonly batchId: string;
  readonly files: { readonly [K in FileKind]?: ManifestFile };
  /** The combination of file versions last aggregated, if any. */
  readonly aggregatedCombination?: string;
}

/** The outcome of recording a staged file in the manifest. */
export type CommitOutcome =
  | { readonly status: 'committed'; readonly manifest: BatchManifest }
  /** A later upload of the same key is already recorded: this one is stale. */
  | { readonly status: 'superseded'; readonly manifest: BatchManifest };

/**
 * Port: where ingest stages accepted rows and the batch manifest, and where the aggregator
 * reads them back. Rules (ordering, idempotency, who may send "batch ready") belong to the use
 * cases; adapters only store, with the conditional writes described on each method.
 */
export interface StagingStore {
  /** Stores chunks; idempotent (a retried put of the same chunk writes the same item). */
  putChunks(chunks: readonly StagedChunk[]): Promise<void>;
  /**
   * Records `file` as the batch's current file of `kind`, unless the manifest already holds a
   * later upload of the same key (greater sequencer): then it changes nothing.
   */
  commitFile(batchId: string, kind: FileKind, file: ManifestFile): Promise<CommitOutcome>;
  /**
   * Claims the right to send "batch ready" for `combination`. Succeeds for the first claimant
   * of a combination and again for that same claimant (so its retry can re-send); fails for
   * everyone else. Atomic: exactly one of concurrent claimants wins.
   */
  claimReady(batchId: string, combination: string, claimant: string): Promise<boolean>;
  readManifest(batchId: string): Promise<BatchManifest | undefined>;
  /** Yields the encoded rows of each chunk of `file`, in chunk order. */
  readChunks(batchId: string, kind: FileKind, file: StagedFile): AsyncIterable<string>;
  /**
   * Takes the lease to aggregate `combination` until `leaseUntil` (epoch ms). Succeeds when no
   * one holds a live lease on that combination, or when `owner` already holds it (its retry);
   * fails while another owner's lease is live. A crashed owner's lease simply runs out.
   */
  leaseAggregation(
    batchId: string,
    combination: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<boolean>;
  /** Records that `combination` was aggregated and its messages sent. */
  markAggregated(batchId: string, combination: string): Promise<void>;
}
