import { randomUUID } from 'node:crypto';
import { aggregateBatch, reviseBatch, selectFiles, updateBatchState } from '@tally/domain';
import type {
  AggregationRequests,
  BatchReadyMessage,
  BatchState,
  MessageSink,
  StagingStore,
} from '@tally/domain';
import { REPLAY_EXIT } from './replayCommand';

/** How the replay aggregates: through the deployed aggregator, or in this process. */
export type ReplayRoute =
  | { readonly mode: 'queue'; readonly requests: AggregationRequests }
  | {
      readonly mode: 'direct';
      readonly sink: MessageSink;
      /** Referential errors reported per file, as the aggregator's `TALLY_MAX_ROW_ERRORS`. */
      readonly maxRowErrors: number;
      /** Rows per partition, as the aggregator's `TALLY_ROWS_PER_PARTITION`. */
      readonly rowsPerPartition?: number;
    };

export type ReplayOutcome =
  /** `batch_ready` of `revision` is on the aggregation queue; the deployed aggregator runs it. */
  | { readonly status: 'requested'; readonly revision: number }
  | {
      readonly status: 'aggregated';
      readonly revision: number;
      readonly customerMessages: number;
      readonly errorMessages: number;
    }
  | { readonly status: 'unknown-batch' }
  /** The batch's files cannot be aggregated as they stand: what is missing or unusable. */
  | {
      readonly status: 'incomplete';
      readonly missing: readonly string[];
      readonly blocked: readonly string[];
    }
  /** The latest revision was aggregated already and --force was not given. */
  | { readonly status: 'already-aggregated'; readonly revision: number }
  /** Direct mode only: see the aggregation's outcome of the same name. */
  | {
      readonly status: 'superseded' | 'busy' | 'taken-over' | 'done' | 'unknown';
      readonly revision: number;
    }
  | { readonly status: 'expired'; readonly revision: number; readonly files: readonly string[] };

export interface ReplayRequest {
  readonly batchId: string;
  /**
   * Aggregate again even if the latest revision was aggregated: the batch gets a new revision
   * with the same files, whose messages replace the earlier ones at every consumer.
   */
  readonly force: boolean;
  /** Who replays: names the revision `--force` allocates, and owns the lease in direct mode. */
  readonly requester: string;
}

/**
 * Re-aggregates a batch from its staged rows, through the batch lifecycle: the latest revision
 * again if it was never finished (its request was lost, or it ended in a DLQ), or, with
 * `force`, a new revision of the batch's current files. Queues its `batch_ready` for the
 * deployed aggregator, or aggregates it right here (`direct`), under the same lease rules.
 *
 * @example
 * const outcome = await replayStagedBatch({ batchId: 'b1', force: true, requester: 'replay-1' }, store, {
 *   mode: 'queue',
 *   requests: new SqsAggregationRequests(sqs, aggregationQueueUrl),
 * });
 */
export const replayStagedBatch = async (
  request: ReplayRequest,
  store: StagingStore,
  route: ReplayRoute,
  now: () => number = Date.now,
): Promise<ReplayOutcome> => {
  const { batchId } = request;
  const state = (await store.readBatchState(batchId))?.state;
  if (state === undefined) return { status: 'unknown-batch' };
  let revision: number;
  if (request.force) {
    const revised = await updateBatchState(store, batchId, (current) =>
      reviseBatch(current, request.requester, now()),
    );
    if (revised.outcome.status !== 'revised') return incompleteOf(revised.state ?? state);
    revision = revised.outcome.revision;
  } else {
    if (state.revision === undefined) return incompleteOf(state);
    revision = state.revision.number;
    if ((state.aggregated?.revision ?? 0) >= revision)
      return { status: 'already-aggregated', revision };
  }
  if (route.mode === 'queue') {
    await route.requests.requestAggregation({ type: 'batch_ready', batch_id: batchId, revision });
    return { status: 'requested', revision };
  }
  // A large revision is aggregated in partitions: the tasks it would put on the aggregation
  // queue run right here, one after the other, until none is left.
  const queued: BatchReadyMessage[] = [];
  const requests: AggregationRequests = {
    requestAggregation: async (message) => {
      queued.push(message);
    },
  };
  const dependencies = { store, sink: route.sink, requests };
  const settings = {
    maxRowErrors: route.maxRowErrors,
    ...(route.rowsPerPartition !== undefined && { rowsPerPartition: route.rowsPerPartition }),
  };
  // An operator's process has no Lambda time limit: it never runs short, so it never hands
  // the rest over, and its lease (renewed after every group) lasts as long as a Lambda's.
  const options = { remainingTimeMs: () => DIRECT_LEASE_MS, now };
  let outcome = await aggregateBatch(
    { batchId, revision, owner: request.requester, attempt: randomUUID() },
    dependencies,
    settings,
    options,
  );
  for (let task = 1; queued.length > 0; task += 1) {
    const message = queued.shift() as BatchReadyMessage;
    if (message.task === undefined)
      throw new Error('a direct replay never hands its aggregation over');
    outcome = await aggregateBatch(
      {
        batchId,
        revision: message.revision,
        owner: `${request.requester}/task-${task}`,
        attempt: randomUUID(),
        task: message.task,
      },
      dependencies,
      settings,
      options,
    );
  }
  const aggregated = (await store.readBatchState(batchId))?.state.aggregated;
  if (aggregated?.revision === revision && aggregated.outcome === 'sent') {
    return {
      status: 'aggregated',
      revision,
      customerMessages: aggregated.customerMessages,
      errorMessages: aggregated.errorMessages,
    };
  }
  switch (outcome.status) {
    case 'expired':
      return { status: 'expired', revision, files: outcome.files };
    case 'aggregated':
    case 'continued':
    case 'started':
    case 'resent':
    case 'running':
    case 'task-done':
    case 'task-continued':
      // Aggregated, then a newer revision or another request finished first.
      return { status: 'done', revision };
    default:
      return { status: outcome.status, revision };
  }
};

/** The lease a direct replay takes and renews: as long as the longest Lambda invocation. */
const DIRECT_LEASE_MS = 15 * 60 * 1000;

const incompleteOf = (state: BatchState): ReplayOutcome => {
  const selection = selectFiles(state);
  return selection.status === 'ready'
    ? // Ready, yet not revisable: its staged rows expire too soon to aggregate.
      { status: 'incomplete', missing: [], blocked: ['staged rows that expire within the hour'] }
    : {
        status: 'incomplete',
        missing: selection.missing,
        blocked: selection.blocked.map((file) => `${file.file} (${file.reason})`),
      };
};

/**
 * The process exit code of an outcome: replayed, the batch is unknown or incomplete, or it was
 * not replayed for another reason.
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
