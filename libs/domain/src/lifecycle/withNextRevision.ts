import { EXPIRY_MARGIN_MS, retained } from './batchRetention';
import type { BatchState, RevisionFile, StagedBatchFile } from './BatchState';
import { problemOfFile, selectFiles } from './selectFiles';
import type { Transition } from './Transition';
import type { RowError } from '../errors/RowError';

/**
 * Allocates the batch's next revision when its current files form a complete combination that
 * differs from the latest revision's; otherwise returns the state unchanged. Not when a file of
 * the combination expires within {@link EXPIRY_MARGIN_MS}: its rows may be gone before the
 * aggregation reads them (see {@link pendingWorkOf}, which says which files to upload again).
 *
 * `requester` names the commit that completes the combination: only it sends "batch ready", and
 * its retry may send it again.
 *
 * @example
 * withNextRevision(state, requesterOf(upload), Date.now()).revision?.number; // 3
 */
export const withNextRevision = (state: BatchState, requester: string, now: number): BatchState => {
  const selection = selectFiles(state);
  if (selection.status !== 'ready') return state;
  const files = selection.files.map(revisionFileOf);
  if (state.revision !== undefined && sameFiles(state.revision.files, files)) return state;
  if (expiringFilesOf(selection.files, now).length > 0) return state;
  return allocated(state, files, requester, now);
};

/**
 * Allocates the next revision with the batch's current files even if the latest revision has
 * the same ones: an operator's re-aggregation (`tally replay --force`), whose messages then
 * carry a new revision. Outcome `incomplete` when the batch cannot be aggregated as it stands.
 *
 * @example
 * const { next, outcome } = reviseBatch(state, 'replay-1', Date.now());
 */
export const reviseBatch = (
  state: BatchState | undefined,
  requester: string,
  now: number,
): Transition<
  { readonly status: 'revised'; readonly revision: number } | { readonly status: 'incomplete' }
> => {
  if (state === undefined) return { outcome: { status: 'incomplete' } };
  const selection = selectFiles(state);
  if (selection.status !== 'ready' || expiringFilesOf(selection.files, now).length > 0)
    return { outcome: { status: 'incomplete' } };
  const next = allocated(state, selection.files.map(revisionFileOf), requester, now);
  return {
    next: retained(next, now),
    outcome: { status: 'revised', revision: next.revision?.number ?? 0 },
  };
};

/** What is left to do after a commit by `requester`, derived from the state it left. */
export interface PendingWork {
  /** The revision whose "batch ready" this requester must send (it allocated it; not done yet). */
  readonly requestRevision?: number;
  /** The batch's files form a new combination, but these expire too soon to aggregate. */
  readonly expiringFiles: readonly StagedBatchFile[];
  /** Why the requester's own file does not count, if it does not (e.g. a second file of a kind). */
  readonly problem?: RowError;
}

/**
 * The steps a commit still owes: sending "batch ready" for the revision it allocated, reporting
 * files that expired, reporting why its own file does not count. A pure function of the state,
 * so a retried event (whose commit is already recorded) owes, and sends, the same.
 *
 * @example
 * const work = pendingWorkOf(state, requesterOf(upload), upload.key, Date.now());
 * if (work.requestRevision !== undefined) await requests.requestAggregation(...);
 */
export const pendingWorkOf = (
  state: BatchState,
  requester: string,
  key: string | undefined,
  now: number,
): PendingWork => {
  const revision = state.revision;
  const requestRevision =
    revision !== undefined &&
    revision.requestedBy === requester &&
    (state.aggregated?.revision ?? 0) < revision.number
      ? revision.number
      : undefined;
  const selection = selectFiles(state);
  const combinationIsNew =
    selection.status === 'ready' &&
    (revision === undefined || !sameFiles(revision.files, selection.files.map(revisionFileOf)));
  const expiringFiles =
    selection.status === 'ready' && combinationIsNew ? expiringFilesOf(selection.files, now) : [];
  const problem = key === undefined ? undefined : problemOfFile(state, key);
  return {
    ...(requestRevision !== undefined && { requestRevision }),
    expiringFiles,
    ...(problem !== undefined && { problem }),
  };
};

/** The files whose staged rows expire within the margin an aggregation needs. */
export const expiringFilesOf = (
  files: readonly StagedBatchFile[],
  now: number,
): StagedBatchFile[] => files.filter((file) => file.expiresAt - EXPIRY_MARGIN_MS <= now);

const allocated = (
  state: BatchState,
  files: readonly RevisionFile[],
  requester: string,
  now: number,
): BatchState => ({
  ...state,
  revision: {
    number: (state.revision?.number ?? 0) + 1,
    files,
    requestedBy: requester,
    createdAt: now,
  },
});

const revisionFileOf = (file: StagedBatchFile): RevisionFile => ({
  key: file.key,
  kind: file.kind,
  file: file.file,
  version: file.version,
  chunks: file.chunks,
  ...(file.buckets !== undefined && { buckets: file.buckets }),
  rowCount: file.rowCount,
  expiresAt: file.expiresAt,
});

const sameFiles = (a: readonly RevisionFile[], b: readonly RevisionFile[]): boolean =>
  a.length === b.length &&
  a.every((file, index) => file.key === b[index]?.key && file.version === b[index]?.version);
