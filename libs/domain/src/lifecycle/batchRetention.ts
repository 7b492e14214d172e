import type { BatchState } from './BatchState';

/**
 * How long Tally remembers a batch after its last change: its files, revisions and what was
 * aggregated (about 3 years). Far longer than staged rows live (days), so a late re-upload of
 * one file still finds the batch, is told which other files expired, and its revision numbers
 * keep growing; only after this long without a change does the batch id start afresh at
 * revision 1, which a consumer keeping the highest revision would then ignore (do not reuse a
 * batch id after that long).
 */
export const BATCH_RETENTION_MS = 3 * 365 * 24 * 60 * 60 * 1000;

/**
 * A revision is only allocated for staged rows that stay readable at least this long, so its
 * aggregation, its retries and its continuations can read them even after a backlog; nearer
 * their expiry, the batch asks for the files to be uploaded again.
 */
export const EXPIRY_MARGIN_MS = 6 * 60 * 60 * 1000;

/**
 * An aggregation starts (from its first message) only for staged rows readable at least this
 * long; otherwise it reports them expired at once rather than send part of a revision whose
 * rows may vanish before its continuation reads them again.
 */
export const CLAIM_MARGIN_MS = 60 * 60 * 1000;

/** The state after a change at `now`: remembered for {@link BATCH_RETENTION_MS} from now. */
export const retained = (state: BatchState, now: number): BatchState => ({
  ...state,
  updatedAt: now,
  expiresAt: now + BATCH_RETENTION_MS,
});
