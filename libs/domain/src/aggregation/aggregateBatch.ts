import type { RowError } from '../errors/RowError';
import { expiredFilesError } from '../ingest/sendPendingWork';
import {
  finishAggregation,
  handOverAggregation,
  recordProgress,
  startAggregation,
} from '../lifecycle/aggregationLease';
import type { AggregationResult, ProgressOutcome } from '../lifecycle/aggregationLease';
import type { BatchRevision, RevisionFile } from '../lifecycle/BatchState';
import { updateBatchState } from '../lifecycle/updateBatchState';
import { errorMessageOf } from '../messages/outputMessages';
import { outboundMessageOf } from '../messages/outboundMessageOf';
import type { AggregationTask, BatchSummaryMessage } from '../messages/outputMessageTypes';
import type { AggregationRequests } from '../ports/AggregationRequests';
import type { StoredBatchState } from '../ports/BatchStateStore';
import type { MessageSink } from '../ports/MessageSink';
import type { StagingStore } from '../ports/StagingStore';
import { StagedRowsMissingError } from '../ports/StagingStore';
import { decodeStagedRows } from '../staging/stagedRowCodec';
import { bucketChunksOf } from '../staging/stagedBuckets';
import { BatchAggregation } from './BatchAggregation';
import {
  runAggregationTask,
  startPartitionedAggregation,
} from './partitioned/aggregatePartitioned';
import type { PartitionedOutcome } from './partitioned/aggregatePartitioned';
import { partitionCountOf } from './partitioned/partitionCountOf';
import type { BatchAggregationResult } from './BatchAggregation';

/** The ports aggregation works through. */
export interface AggregateDependencies {
  readonly store: StagingStore;
  readonly sink: MessageSink;
  /** Where a continuation goes when the invocation runs short of time: the aggregation queue. */
  readonly requests: AggregationRequests;
}

/** Limits, from configuration. */
export interface AggregateSettings {
  /** Referential errors reported per file before one summary replaces the rest. */
  readonly maxRowErrors: number;
  /**
   * Staged rows per partition (`TALLY_ROWS_PER_PARTITION`): a revision of more rows is
   * aggregated in partitions, side by side. Default {@link DEFAULT_ROWS_PER_PARTITION}.
   */
  readonly rowsPerPartition?: number;
}

/**
 * Rows per partition by default: a partition's orders, customers and totals then stay far
 * below a Lambda's memory, and a batch of fewer rows keeps the single-pass aggregation.
 */
export const DEFAULT_ROWS_PER_PARTITION = 4_000_000;

/** One request to aggregate one revision of a batch. */
export interface AggregationRequest {
  readonly batchId: string;
  readonly revision: number;
  /**
   * The request: stable across its retries (the SQS message id, or on a continuation the token
   * its `lease_owner` carries), so a crashed holder's retry, or its continuation, takes the
   * lease at once.
   */
  readonly owner: string;
  /**
   * This invocation (Lambda's request id): two invocations of one request never send at once,
   * the later one's claim stops the other; a continuation's token is its handing attempt.
   */
  readonly attempt: string;
  /** Set on a task of a partitioned aggregation (see `startPartitionedAggregation`). */
  readonly task?: AggregationTask;
}

/** Per-invocation options. */
export interface AggregateOptions {
  /** Milliseconds the invocation may still run (Lambda's `getRemainingTimeInMillis`). */
  readonly remainingTimeMs: () => number;
  /** The clock (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

/** What happened to one aggregation request. */
export type AggregateOutcome = SinglePassOutcome | PartitionedOutcome;

/** What happened to a request aggregated in one pass. */
export type SinglePassOutcome = {
  readonly batchId: string;
  readonly revision: number;
} & (
  | {
      readonly status: 'aggregated';
      readonly customerMessages: number;
      readonly errorMessages: number;
      /** Messages this invocation sent (the rest were sent by earlier ones). */
      readonly sent: number;
    }
  /** The invocation ran short of time and handed the rest to a continuation request. */
  | { readonly status: 'continued'; readonly sent: number; readonly progress: number }
  /** Staged rows the revision needs have expired: reported instead of aggregated. */
  | { readonly status: 'expired'; readonly files: readonly string[] }
  /** Nothing to do, or no longer this request's to do (see `ClaimOutcome`, `ProgressOutcome`). */
  | {
      readonly status: 'superseded' | 'done' | 'busy' | 'unknown' | 'taken-over';
      readonly sent: number;
    }
);

/** Messages sent between two progress records: at most this many are sent twice after a crash. */
export const MESSAGES_PER_GROUP = 1_000;

/** The longest an invocation keeps for itself after its last group: record, hand off, return. */
export const MAX_TIME_RESERVE_MS = 30_000;

/** How long a handed-off lease waits for its continuation before others may take over. */
export const HANDOFF_LEASE_MS = 60_000;

/**
 * Aggregates one revision of a batch, in named steps: claim the revision's lease (see
 * `startAggregation`: newest revision wins, a superseded or finished one is acknowledged), join
 * its staged customers, orders and items (a hash join, linear in rows), then send its messages
 * — one `customer_message` per accepted customer, the referential `error_message`s capped per
 * file, and last one `batch_summary` — in groups, recording progress after each group. It stops
 * before its next group when a newer revision has taken the batch over, hands the rest to a
 * continuation request when the invocation runs short of time (less left than its reserve plus
 * its slowest group so far), and resumes from the recorded progress when it is retried. The
 * `batch_summary` goes alone, after every other message of the revision is sent and recorded.
 * Staged rows that have expired are reported, not retried.
 *
 * Every message carries the revision, and its id depends on it: a consumer keeps, per batch
 * and customer, the message with the highest revision.
 *
 * @example
 * const outcome = await aggregateBatch(request, { store, sink, requests }, { maxRowErrors: 1000 }, { remainingTimeMs });
 */
export const aggregateBatch = async (
  request: AggregationRequest,
  dependencies: AggregateDependencies,
  settings: AggregateSettings,
  options: AggregateOptions,
): Promise<AggregateOutcome> => {
  if (request.task !== undefined)
    return runAggregationTask(request, request.task, dependencies, settings, options);
  // One read decides the partitions, and the single pass's claim starts from it.
  const stored = await dependencies.store.readBatchState(request.batchId);
  const revision = stored?.state.revision;
  const partitions =
    revision?.number === request.revision
      ? partitionCountOf(revision, settings.rowsPerPartition ?? DEFAULT_ROWS_PER_PARTITION)
      : 1;
  if (partitions > 1)
    return startPartitionedAggregation(request, partitions, dependencies, settings, options);
  return aggregateInOnePass(request, dependencies, settings, options, { stored });
};

/** The aggregation of a revision small enough for one partition: one invocation joins it all. */
const aggregateInOnePass = async (
  request: AggregationRequest,
  dependencies: AggregateDependencies,
  settings: AggregateSettings,
  options: AggregateOptions,
  read: { readonly stored: StoredBatchState | undefined },
): Promise<SinglePassOutcome> => {
  const { store } = dependencies;
  const now = options.now ?? Date.now;
  const { batchId, revision: number, owner, attempt } = request;
  const reserveMs = Math.min(MAX_TIME_RESERVE_MS, options.remainingTimeMs() / 5);
  const leaseMs = () => Math.max(0, options.remainingTimeMs());

  const claim = await updateBatchState(
    store,
    batchId,
    (state) =>
      startAggregation(state, { revision: number, owner, attempt, leaseMs: leaseMs() }, now()),
    read,
  );
  if (claim.outcome.status !== 'claimed') {
    return { batchId, revision: number, status: claim.outcome.status, sent: 0 };
  }
  const { revision, resumeFrom } = claim.outcome;
  const holder = { revision: number, owner, attempt };
  const finish = (result: AggregationResult) =>
    updateBatchState(store, batchId, (state) =>
      finishAggregation(state, { ...holder, sent: 0, leaseMs: 0 }, result, now()),
    );
  const reportExpired = async (files: readonly Pick<RevisionFile, 'file'>[]) => {
    const error: RowError = expiredFilesError(files);
    await dependencies.sink.send([
      outboundMessageOf({ batchId, revision: number }, errorMessageOf(batchId, error)),
    ]);
    await finish({ outcome: 'expired', customerMessages: 0, errorMessages: 1 });
    return {
      batchId,
      revision: number,
      status: 'expired' as const,
      files: files.map((file) => file.file),
    };
  };
  if (claim.outcome.expiredFiles.length > 0) return reportExpired(claim.outcome.expiredFiles);

  let joined: BatchAggregationResult;
  try {
    joined = await joinRevision(store, batchId, revision, settings.maxRowErrors);
  } catch (error) {
    if (!(error instanceof StagedRowsMissingError)) throw error;
    return reportExpired(revision.files.filter((file) => file.key === error.key));
  }
  const messages = [...joined.customers, ...joined.errors];

  let sent = 0;
  // The slowest group so far: the next one may take as long, and must end before the reserve.
  let slowestGroupMs = 0;
  for (let from = resumeFrom; from < messages.length; from += MESSAGES_PER_GROUP) {
    if (sent > 0 && options.remainingTimeMs() < reserveMs + slowestGroupMs) {
      // Hand the rest over: the lease first goes to the continuation's token (this attempt's
      // id), then the continuation carries it, so it resumes at once and nobody else sends.
      const handover = { to: attempt, sent: from, leaseMs: HANDOFF_LEASE_MS };
      const handed = await updateBatchState(store, batchId, (state) =>
        handOverAggregation(state, holder, handover, now()),
      );
      if (handed.outcome !== 'recorded') return stopped(request, handed.outcome, sent);
      await dependencies.requests.requestAggregation({
        type: 'batch_ready',
        batch_id: batchId,
        revision: number,
        lease_owner: attempt,
      });
      return { batchId, revision: number, status: 'continued', sent, progress: from };
    }
    const groupStarted = now();
    const group = messages.slice(from, from + MESSAGES_PER_GROUP);
    await dependencies.sink.send(
      group.map((message) => outboundMessageOf({ batchId, revision: number }, message)),
    );
    sent += group.length;
    const progress = await updateBatchState(store, batchId, (state) =>
      recordProgress(state, { ...holder, sent: from + group.length, leaseMs: leaseMs() }, now()),
    );
    if (progress.outcome !== 'recorded') return stopped(request, progress.outcome, sent);
    slowestGroupMs = Math.max(slowestGroupMs, now() - groupStarted);
  }
  await dependencies.sink.send([
    outboundMessageOf({ batchId, revision: number }, summaryOf(batchId, revision, joined)),
  ]);
  sent += 1;
  const finished = await finish({
    outcome: 'sent',
    customerMessages: joined.customers.length,
    errorMessages: joined.errors.length,
  });
  if (finished.outcome !== 'recorded') return stopped(request, finished.outcome, sent);
  return {
    batchId,
    revision: number,
    status: 'aggregated',
    customerMessages: joined.customers.length,
    errorMessages: joined.errors.length,
    sent,
  };
};

const stopped = (
  request: AggregationRequest,
  outcome: Exclude<ProgressOutcome, 'recorded'>,
  sent: number,
): SinglePassOutcome => ({
  batchId: request.batchId,
  revision: request.revision,
  status: outcome,
  sent,
});

/**
 * Reads the revision's staged files in aggregation order (customers, orders, items; parts of a
 * kind in manifest order) into a {@link BatchAggregation}. A file spread over buckets is read
 * bucket after bucket: rows of one reference share a bucket, in line order, so the first row
 * of a reference still comes first, and referential errors are capped by line whatever the
 * order (`ReferentialErrors`).
 */
const joinRevision = async (
  store: StagingStore,
  batchId: string,
  revision: BatchRevision,
  maxRowErrors: number,
): Promise<BatchAggregationResult> => {
  const aggregation = new BatchAggregation({ batchId, maxErrorsPerFile: maxRowErrors });
  for (const file of revision.files) {
    for await (const text of readFileChunks(store, batchId, file)) {
      if (file.kind === 'customers')
        aggregation.addCustomers(decodeStagedRows('customers', text), file.file);
      else if (file.kind === 'orders')
        aggregation.addOrders(decodeStagedRows('orders', text), file.file);
      else aggregation.addStagedItems(text, file.file);
    }
  }
  return aggregation.finish();
};

/** Every chunk of a staged file, bucket after bucket, each bucket in chunk order. */
async function* readFileChunks(
  store: StagingStore,
  batchId: string,
  file: RevisionFile,
): AsyncIterable<string> {
  const counts = await bucketChunksOf(store, batchId, file);
  for (const [bucket, chunks] of counts.entries()) {
    yield* store.readChunks(batchId, { key: file.key, version: file.version, bucket, chunks });
  }
}

/** The revision's `batch_summary`: its files and how many messages of each type it sent. */
const summaryOf = (
  batchId: string,
  revision: BatchRevision,
  joined: BatchAggregationResult,
): BatchSummaryMessage => ({
  type: 'batch_summary',
  batch_id: batchId,
  revision: revision.number,
  files: revision.files.map((file) => ({
    kind: file.kind,
    file: file.file,
    object_key: file.key,
    object_version: file.version,
    rows: file.rowCount,
  })),
  customer_messages: joined.customers.length,
  error_messages: joined.errors.length,
});
