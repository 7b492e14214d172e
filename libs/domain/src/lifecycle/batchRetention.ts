import type { BatchState } from './BatchState';

/**
 * How long Tally remembers a batch after its last change: its files, revisions and what was
 * aggregated. Longer than staged rows live (days), so a late re-upload of one file still finds
 * the batch and is told which other files expired; past it, the batch id starts afresh at
 * revision 1 (consumers should not reuse a batch id after this long).
 */
export const BATCH_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * A revision is only allocated for staged rows that stay readable at least this long, so its
 * aggregation (and its continuations) can read them; nearer their expiry, the batch asks for the
 * files to be uploaded again.
 */
export const EXPIRY_MARGIN_MS = 60 * 60 * 1000;

/** The state after a change at `now`: remembered for {@link BATCH_RETENTION_MS} from now. */
export const retained = (state: BatchState, now: number): BatchState => ({
  ...state,
  updatedAt: now,
  expiresAt: now + BATCH_RETENTION_MS,
});
