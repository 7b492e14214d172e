import { aggregateBatch } from '@tally/domain';
import type {
  AggregationRequests,
  BatchReadyMessage,
  FileKind,
  MessageSink,
  StagingStore,
} from '@tally/domain';
import { batchReadyMessageOf } from './batchReadyMessageOf';
import { REPLAY_EXIT } from './replayCommand';

/**
 * What `--force` writes to the manifest's `aggregated_combination`. It is never a combination
 * (those are versions joined by `|`), so the check "already aggregated" fails and the batch is
 * aggregated again; the next aggregation overwrites it with the real combination.
 */
export const FORCED_REPLAY_MARK = 'forced-replay';

/** Who aggregates and until when (aggregateBatch's lease; the type is not exported). */
export type AggregationLease = Parameters<typeof aggregateBatch>[2];

/** How the replay aggregates: through the deployed aggregator, or in this process. */
export type ReplayRoute =
  | { readonly mode: 'queue'; readonly requests: AggregationRequests }
  | {
      readonly mode: 'direct';
      readonly sink: MessageSink;
      readonly lease: AggregationLease;
    };

export type ReplayOutcome =
  /** `batch_ready` is on the aggregation queue; the deployed aggregator will run it. */
  | { readonly status: 'requested'; readonly message: BatchReadyMessage }
  | {
      readonly status: 'aggregated';
      readonly customerMessages: number;
      readonly errorMessages: number;
    }
  | { readonly status: 'unknown-batch' }
  | { readonly status: 'incomplete'; readonly missing: readonly FileKind[] }
  /** The current files were aggregated already and --force was not given. */
  | { readonly status: 'already-aggregated' }
  /** Direct mode only: a newer upload changed the files meanwhile, or another run holds the lease. */
  | { readonly status: 'stale' | 'in-progress' };

export interface ReplayRequest {
  readonly batchId: string;
  readonly force: boolean;
}

/**
 * Re-aggregates a batch from its staged rows: builds the `batch_ready` message of its three
 * current files and either queues it or aggregates it right here.
 *
 * @example
 * const outcome = await replayStagedBatch({ batchId: 'b1', force: true }, store, {
 *   mode: 'queue',
 *   requests: new SqsAggregationRequests(sqs, aggregationQueueUrl),
 * });
 */
export const replayStagedBatch = async (
  request: ReplayRequest,
  store: StagingStore,
  route: ReplayRoute,
): Promise<ReplayOutcome> => {
  const readiness = batchReadyMessageOf(request.batchId, await store.readManifest(request.batchId));
  if (readiness.status === 'unknown') return { status: 'unknown-batch' };
  if (readiness.status === 'incomplete')
    return { status: 'incomplete', missing: readiness.missing };
  if (readiness.aggregated) {
    if (!request.force) return { status: 'already-aggregated' };
    await store.markAggregated(request.batchId, FORCED_REPLAY_MARK);
  }
  if (route.mode === 'queue') {
    await route.requests.requestAggregation(readiness.message);
    return { status: 'requested', message: readiness.message };
  }
  const outcome = await aggregateBatch(readiness.message, { store, sink: route.sink }, route.lease);
  switch (outcome.status) {
    case 'aggregated':
      return {
        status: 'aggregated',
        customerMessages: outcome.customerMessages,
        errorMessages: outcome.errorMessages,
      };
    case 'already-aggregated':
      return { status: 'already-aggregated' };
    case 'stale':
    case 'in-progress':
      return { status: outcome.status };
  }
};

/**
 * The process exit code of an outcome: 0 replayed, 2 the batch is unknown or incomplete, 1 it
 * was not replayed for another reason.
 */
export const exitCodeOf = (outcome: ReplayOutcome): number => {
  switch (outcome.status) {
    case 'requested':
    case 'aggregated':
      return REPLAY_EXIT.replayed;
    case 'unknown-batch':
    case 'incomplete':
      return REPLAY_EXIT.incomplete;
    default:
      return REPLAY_EXIT.failed;
  }
};
