import { CLAIM_MARGIN_MS, retained } from './batchRetention';
import type { AggregatedRevision, BatchRevision, BatchState, RevisionFile } from './BatchState';
import type { Transition } from './Transition';

/** One request to aggregate one revision of a batch. */
export interface AggregationClaim {
  readonly revision: number;
  /**
   * The request: stable across its retries, so a crashed holder's retry takes over at once (a
   * continuation's request carries the token its holder handed the lease to).
   */
  readonly owner: string;
  /** The invocation handling the request (Lambda's request id): one per delivery. */
  readonly attempt: string;
  /** How long the holder may take before another request may take over (its time limit). */
  readonly leaseMs: number;
}

/** What a request to aggregate a revision may do. */
export type ClaimOutcome =
  /** Aggregate `revision`, starting after the first `resumeFrom` messages (already sent). */
  | {
      readonly status: 'claimed';
      readonly revision: BatchRevision;
      readonly resumeFrom: number;
      /**
       * Files of the revision whose staged rows have expired (for a fresh start: expire within
       * `CLAIM_MARGIN_MS`): report them instead.
       */
      readonly expiredFiles: readonly RevisionFile[];
    }
  /** A newer revision exists: this one is never sent. */
  | { readonly status: 'superseded'; readonly latest: number }
  /** This revision (or a newer one) was aggregated already. */
  | { readonly status: 'done' }
  /** Another request holds a live lease on this revision: it will finish it (or its retry will). */
  | { readonly status: 'busy'; readonly owner: string; readonly leaseUntil: number }
  /** The batch is not known (forgotten after its retention) or has no such revision. */
  | { readonly status: 'unknown' };

/**
 * Takes the lease to aggregate a revision. A newer revision takes the batch over from an older
 * aggregation still sending (which then stops, see {@link recordProgress}); a request for a
 * superseded or finished revision gets nothing to do; within one revision, the lease belongs to
 * one owner until it runs out, and the owner's retry resumes from the progress recorded (its
 * newest attempt holding it, so an older attempt still running stops at its next record). A
 * lease handed over (see {@link handOverAggregation}) may be claimed by its new owner, or
 * taken back by the request that handed it.
 *
 * @example
 * const { next, outcome } = startAggregation(state, { revision: 2, owner: messageId, attempt: awsRequestId, leaseMs: 300_000 }, Date.now());
 */
export const startAggregation = (
  state: BatchState | undefined,
  claim: AggregationClaim,
  now: number,
): Transition<ClaimOutcome> => {
  const revision = state?.revision;
  if (state === undefined || revision === undefined || claim.revision > revision.number)
    return { outcome: { status: 'unknown' } };
  if (claim.revision < revision.number)
    return { outcome: { status: 'superseded', latest: revision.number } };
  if ((state.aggregated?.revision ?? 0) >= claim.revision) return { outcome: { status: 'done' } };
  const lease = state.lease;
  const sameRevision = lease?.revision === claim.revision;
  const mayClaim =
    !sameRevision ||
    lease.leaseUntil <= now ||
    lease.owner === claim.owner ||
    lease.handedBy === claim.owner;
  if (!mayClaim) {
    return { outcome: { status: 'busy', owner: lease.owner, leaseUntil: lease.leaseUntil } };
  }
  const resumeFrom = sameRevision ? lease.sent : 0;
  const next: BatchState = {
    ...state,
    lease: {
      revision: claim.revision,
      owner: claim.owner,
      attempt: claim.attempt,
      leaseUntil: now + claim.leaseMs,
      sent: resumeFrom,
    },
  };
  return {
    next: retained(next, now),
    outcome: {
      status: 'claimed',
      revision,
      resumeFrom,
      // From the first message, rows must stay readable a while; a resumed aggregation has
      // sent part of the revision already, so it reads what is left rather than stop short.
      expiredFiles: expiredFilesOf(revision, resumeFrom === 0 ? now + CLAIM_MARGIN_MS : now),
    },
  };
};

/** Progress of a lease holder: the number of messages of its revision sent so far. */
export interface AggregationProgress {
  readonly revision: number;
  readonly owner: string;
  readonly attempt: string;
  readonly sent: number;
  /** The lease runs on this long from now. */
  readonly leaseMs: number;
}

/**
 * Whether the holder may go on: `recorded`, or why it must stop (`superseded`: a newer revision
 * took the batch over; `taken-over`: another request, or another attempt of this one, holds
 * this revision now; `done`: someone finished it; `unknown`: the batch is gone).
 */
export type ProgressOutcome = 'recorded' | 'superseded' | 'taken-over' | 'done' | 'unknown';

/**
 * Records how many messages the lease holder has sent and renews its lease; it checks this
 * after each group of sends, and stops when the answer is not `recorded`, so an aggregation
 * overtaken by a newer revision sends at most one more group. Progress only grows.
 *
 * @example
 * const { next, outcome } = recordProgress(state, { revision: 2, owner, attempt, sent: 3000, leaseMs }, Date.now());
 */
export const recordProgress = (
  state: BatchState | undefined,
  progress: AggregationProgress,
  now: number,
): Transition<ProgressOutcome> => {
  const stop = holderCheck(state, progress);
  if (stop !== undefined || state?.lease === undefined) return { outcome: stop ?? 'unknown' };
  const next: BatchState = {
    ...state,
    lease: {
      ...state.lease,
      sent: Math.max(state.lease.sent, progress.sent),
      leaseUntil: now + progress.leaseMs,
    },
  };
  return { next: retained(next, now), outcome: 'recorded' };
};

/**
 * Hands the holder's lease to a continuation request before the holder returns: the lease now
 * belongs to `to` (the token the continuation message carries) for `leaseMs`, from the
 * progress `sent`. Record this first, then send the continuation: if the send fails, the
 * handing request's retry may take the lease back (`handedBy`), and nobody else can hold it
 * meanwhile, so at most one invocation sends at a time.
 *
 * @example
 * handOverAggregation(state, holder, { to: holder.attempt, sent: 3000, leaseMs: 60_000 }, Date.now());
 */
export const handOverAggregation = (
  state: BatchState | undefined,
  holder: Pick<AggregationProgress, 'revision' | 'owner' | 'attempt'>,
  handover: { readonly to: string; readonly sent: number; readonly leaseMs: number },
  now: number,
): Transition<ProgressOutcome> => {
  const stop = holderCheck(state, holder);
  if (stop !== undefined || state?.lease === undefined) return { outcome: stop ?? 'unknown' };
  const next: BatchState = {
    ...state,
    lease: {
      revision: holder.revision,
      owner: handover.to,
      attempt: '',
      handedBy: holder.owner,
      leaseUntil: now + handover.leaseMs,
      sent: Math.max(state.lease.sent, handover.sent),
    },
  };
  return { next: retained(next, now), outcome: 'recorded' };
};

/** How a lease holder's aggregation ended. */
export type AggregationResult = Omit<AggregatedRevision, 'revision'>;

/**
 * Marks the revision aggregated and ends the lease, only while the caller still holds it and
 * the revision is still the latest: "aggregated" moves only forward, and never to a revision
 * that a newer one took over.
 *
 * @example
 * finishAggregation(state, { revision: 2, owner, attempt, sent: 5001, leaseMs: 0 }, { outcome: 'sent', customerMessages: 5000, errorMessages: 0 }, Date.now());
 */
export const finishAggregation = (
  state: BatchState | undefined,
  holder: AggregationProgress,
  result: AggregationResult,
  now: number,
): Transition<ProgressOutcome> => {
  const stop = holderCheck(state, holder);
  if (stop !== undefined || state === undefined) return { outcome: stop ?? 'unknown' };
  const next: BatchState = {
    ...withoutLease(state),
    aggregated: { revision: holder.revision, ...result },
  };
  return { next: retained(next, now), outcome: 'recorded' };
};

/**
 * Marks `revision` aggregated when a partitioned aggregation ends: no lease is held (its tasks
 * run side by side), so only the revision decides — still the latest, not aggregated yet.
 *
 * @example
 * finishRevision(state, 4, { outcome: 'sent', customerMessages: 9_000_000, errorMessages: 12 }, Date.now());
 */
export const finishRevision = (
  state: BatchState | undefined,
  revision: number,
  result: AggregationResult,
  now: number,
): Transition<ProgressOutcome> => {
  const stop = revisionCheck(state, revision);
  if (stop !== 'current' || state === undefined)
    return { outcome: stop === 'current' ? 'unknown' : stop };
  const rest =
    state.lease !== undefined && state.lease.revision > revision ? state : withoutLease(state);
  return {
    next: retained({ ...rest, aggregated: { revision, ...result } }, now),
    outcome: 'recorded',
  };
};

/**
 * Whether work on `revision` may go on: `current` (the latest, not aggregated yet), or why not.
 *
 * @example
 * revisionCheck(state, 3); // 'superseded' once revision 4 exists
 */
export const revisionCheck = (
  state: BatchState | undefined,
  revision: number,
): 'current' | Exclude<ProgressOutcome, 'recorded' | 'taken-over'> => {
  if (state?.revision === undefined || state.revision.number < revision) return 'unknown';
  if (state.revision.number > revision) return 'superseded';
  if ((state.aggregated?.revision ?? 0) >= revision) return 'done';
  return 'current';
};

const withoutLease = ({ lease: _ended, ...rest }: BatchState): BatchState => rest;

/** Why the holder named in `progress` may not go on, or `undefined` if it may. */
const holderCheck = (
  state: BatchState | undefined,
  progress: Pick<AggregationProgress, 'revision' | 'owner' | 'attempt'>,
): Exclude<ProgressOutcome, 'recorded'> | undefined => {
  if (state?.revision === undefined) return 'unknown';
  if (state.revision.number > progress.revision) return 'superseded';
  if ((state.aggregated?.revision ?? 0) >= progress.revision) return 'done';
  const lease = state.lease;
  if (
    lease?.revision !== progress.revision ||
    lease.owner !== progress.owner ||
    lease.attempt !== progress.attempt
  )
    return 'taken-over';
  return undefined;
};

const expiredFilesOf = (revision: BatchRevision, now: number): RevisionFile[] =>
  revision.files.filter((file) => file.expiresAt <= now);
