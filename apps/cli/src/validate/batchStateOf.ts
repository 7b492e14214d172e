import { commitPlan, commitRejectedUpload, commitStagedUpload } from '@tally/domain';
import type { BatchPlan, BatchState, RejectedUpload, StagedUpload } from '@tally/domain';

/** One file of a batch folder as ingest would commit it: its rows staged, or rejected whole. */
export type FolderUpload =
  | { readonly status: 'staged'; readonly upload: StagedUpload }
  | { readonly status: 'rejected'; readonly upload: RejectedUpload };

/**
 * The lifecycle's clock during a check (epoch ms): fixed, so a folder always gives the same
 * state. Only differences of times matter to the rules (staged rows' expiry), never the date.
 */
export const CHECKED_AT = 0;

/**
 * The state the batch would reach with its manifest uploaded first, then `uploads` one after
 * the other in the order given, each committed by the lifecycle's own transitions
 * (`commitPlan`, `commitStagedUpload`, `commitRejectedUpload`) at {@link CHECKED_AT}; no store
 * is needed, as no two commits race. `undefined` when there is nothing to commit.
 *
 * @example
 * ```ts
 * const state = batchStateOf('b1', undefined, uploads);
 * selectFiles(state).status; // 'ready'
 * ```
 */
export const batchStateOf = (
  batchId: string,
  plan: BatchPlan | undefined,
  uploads: readonly FolderUpload[],
): BatchState | undefined => {
  let state =
    plan === undefined ? undefined : commitPlan(undefined, batchId, plan, CHECKED_AT).next;
  for (const { status, upload } of uploads) {
    const { next } =
      status === 'staged'
        ? commitStagedUpload(state, batchId, upload, CHECKED_AT)
        : commitRejectedUpload(state, batchId, upload, CHECKED_AT);
    state = next ?? state;
  }
  return state;
};
