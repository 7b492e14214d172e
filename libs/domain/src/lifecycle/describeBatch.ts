import type { FileKind } from '../batch/fileKind';
import type { ErrorCode } from '../errors/errorCodes';
import type {
  AggregatedRevision,
  BatchPlan,
  BatchRevision,
  BatchState,
  StagedBatchFile,
} from './BatchState';
import { problemOfFile, selectFiles } from './selectFiles';
import type { BlockedFile } from './selectFiles';
import { expiringFilesOf } from './withNextRevision';

/** One key of a batch as `tally status` shows it. */
export interface FileDescription {
  readonly key: string;
  readonly kind: FileKind;
  readonly file: string;
  readonly status: 'staged' | 'rejected';
  readonly version: string;
  readonly sequencer: string;
  /** Staged uploads: rows read, accepted rows, chunks, digest and expiry of the staged rows. */
  readonly rowsRead?: number;
  readonly rowCount?: number;
  readonly chunks?: number;
  readonly sha256?: string;
  readonly expiresAt?: number;
  readonly expired?: boolean;
  /** Rejected uploads: why the whole file was rejected. */
  readonly code?: ErrorCode;
  /** Whether the batch's current files include it. */
  readonly current: boolean;
  /** Why it does not count, when it is staged but ignored. */
  readonly problem?: string;
}

/** Where a batch stands, for people and for `tally status --json`. */
export interface BatchDescription {
  readonly batchId: string;
  readonly files: readonly FileDescription[];
  readonly manifest?: BatchPlan;
  readonly readiness:
    | { readonly status: 'ready' }
    | {
        readonly status: 'waiting';
        readonly missing: readonly string[];
        readonly blocked: readonly BlockedFile[];
      };
  readonly revision?: BatchRevision;
  readonly lease?: {
    readonly revision: number;
    readonly owner: string;
    readonly attempt: string;
    readonly handedBy?: string;
    readonly leaseUntil: number;
    readonly live: boolean;
    readonly sent: number;
  };
  readonly aggregated?: AggregatedRevision;
  /**
   * `aggregated`: the latest revision's messages were all sent; `aggregating`: the latest
   * revision is being (or waits to be) aggregated; `incomplete`: the batch has no revision yet,
   * or its files changed into a combination that cannot be aggregated (see readiness);
   * `expired`: the latest revision's rows expired before it was aggregated.
   */
  readonly phase: 'aggregated' | 'aggregating' | 'incomplete' | 'expired';
  readonly updatedAt: number;
  readonly expiresAt: number;
}

/**
 * Describes a batch from its state: each key's latest upload and whether it counts, the
 * manifest, whether the batch is complete, its latest revision, the lease and progress of its
 * aggregation, and what was aggregated. Pure, so `tally status` and tests read it the same way.
 *
 * @example
 * describeBatch(state, Date.now()).phase; // 'aggregated'
 */
export const describeBatch = (state: BatchState, now: number): BatchDescription => {
  const selection = selectFiles(state);
  const current = new Set(
    selection.status === 'ready' ? selection.files.map((file) => file.key) : [],
  );
  const files = state.files.map((record): FileDescription => {
    const common = {
      key: record.key,
      kind: record.kind,
      file: record.file,
      status: record.status,
      version: record.version,
      sequencer: record.sequencer,
      current: current.has(record.key),
    };
    if (record.status === 'rejected') return { ...common, code: record.code };
    const problem = problemOfFile(state, record.key);
    return {
      ...common,
      rowsRead: record.rowsRead,
      rowCount: record.rowCount,
      chunks: record.chunks,
      sha256: record.sha256,
      expiresAt: record.expiresAt,
      expired: isExpiring(record, now),
      ...(problem !== undefined && { problem: problem.message }),
    };
  });
  const lease = state.lease;
  return {
    batchId: state.batchId,
    files,
    ...(state.plan !== undefined && { manifest: state.plan }),
    readiness:
      selection.status === 'ready'
        ? { status: 'ready' }
        : { status: 'waiting', missing: selection.missing, blocked: selection.blocked },
    ...(state.revision !== undefined && { revision: state.revision }),
    ...(lease !== undefined && { lease: { ...lease, live: lease.leaseUntil > now } }),
    ...(state.aggregated !== undefined && { aggregated: state.aggregated }),
    phase: phaseOf(state),
    updatedAt: state.updatedAt,
    expiresAt: state.expiresAt,
  };
};

const isExpiring = (record: StagedBatchFile, now: number): boolean =>
  expiringFilesOf([record], now).length > 0;

const phaseOf = (state: BatchState): BatchDescription['phase'] => {
  const latest = state.revision?.number;
  if (latest === undefined) return 'incomplete';
  if (state.aggregated?.revision === latest)
    return state.aggregated.outcome === 'expired' ? 'expired' : 'aggregated';
  return 'aggregating';
};
