import type { RowError } from '../../errors/RowError';
import { TallyError } from '../../errors/TallyError';
import { expiredFilesError } from '../../ingest/sendPendingWork';
import { finishRevision, revisionCheck } from '../../lifecycle/aggregationLease';
import { CLAIM_MARGIN_MS } from '../../lifecycle/batchRetention';
import type { BatchRevision, RevisionFile } from '../../lifecycle/BatchState';
import { updateBatchState } from '../../lifecycle/updateBatchState';
import { updateRecord } from '../../lifecycle/updateRecord';
import { errorMessageOf } from '../../messages/outputMessages';
import { outboundMessageOf } from '../../messages/outboundMessageOf';
import type {
  AggregationPhase,
  AggregationTask,
  BatchSummaryMessage,
  OutputMessage,
} from '../../messages/outputMessageTypes';
import { referenceHash, slotOf } from '../../partitioning/referenceHash';
import { StagedRowsMissingError } from '../../ports/StagingStore';
import type { AggregateDependencies, AggregateOptions } from '../aggregateBatch';
import { mergedMessages } from '../ReferentialErrors';
import type { FileProblems } from '../ReferentialErrors';
import { CustomerTotals } from './CustomerTotals';
import { OrderTotals } from './OrderTotals';
import {
  inPartition,
  orderTotalLine,
  orderTotalsOf,
  packLines,
  partitionChunks,
  partitionRows,
  problemLines,
  problemsOf,
  readStream,
  streamOf,
  writeStream,
} from './partitionStreams';
import type { Partition } from './partitionStreams';
import type { StagedRowOfKind } from '../../staging/stagedRowTypes';
import {
  claimTask,
  completeTask,
  finishTask,
  recordTaskProgress,
  runRecordName,
  startRun,
  taskRecordName,
} from './runRecords';
import type { RunState, TaskState } from './runRecords';

/** Messages sent between two progress records of a task. */
const MESSAGES_PER_GROUP = 1_000;
/** The longest a task keeps for itself after its last group: record, hand off, return. */
const MAX_TIME_RESERVE_MS = 30_000;
/** The least a run's records and intermediate chunks are kept: far longer than any run. */
const RUN_TTL_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * A task found a record or an intermediate chunk of its run missing: the run outlived its
 * records (they expire with the revision's staged rows) or lost them. It sends nothing.
 */
export class RunRecordMissingError extends TallyError {}

/** One request of a partitioned aggregation: who asks (stable across retries), and this try. */
export interface PartitionedRequest {
  readonly batchId: string;
  readonly revision: number;
  /** The SQS message id of the request: a phase's starter is known by it. */
  readonly owner: string;
  /** This invocation's try at it (Lambda's request id): the newest claim of a task holds it. */
  readonly attempt: string;
}

/** Limits, from configuration. */
export interface PartitionedSettings {
  readonly maxRowErrors: number;
}

/** What one request of a partitioned aggregation did. */
export type PartitionedOutcome = {
  readonly batchId: string;
  readonly revision: number;
} & (
  | { readonly status: 'started' | 'resent' | 'running'; readonly partitions: number }
  | {
      readonly status: 'task-done';
      readonly phase: AggregationPhase;
      readonly partition: number;
      /** Messages this invocation sent. */
      readonly sent: number;
      /** The next phase's tasks were sent by this request. */
      readonly startedNext: boolean;
      /** The finish that sent the `batch_summary`: the revision's counts (once per revision). */
      readonly summary?: { readonly customerMessages: number; readonly errorMessages: number };
    }
  | { readonly status: 'task-continued'; readonly phase: AggregationPhase; readonly sent: number }
  | { readonly status: 'expired'; readonly files: readonly string[] }
  | { readonly status: 'superseded' | 'done' | 'unknown' | 'taken-over'; readonly sent: number }
);

type Context = {
  readonly request: PartitionedRequest;
  readonly dependencies: AggregateDependencies;
  readonly settings: PartitionedSettings;
  readonly options: AggregateOptions;
  readonly now: () => number;
  readonly revision: BatchRevision;
  readonly files: readonly string[];
};

/**
 * Starts the partitioned aggregation of a revision: records its run (once, whoever asks) and
 * sends one `orders` task per partition on the aggregation queue. The orders tasks join each
 * partition's orders and items; the last of them to finish sends the `customers` tasks, which
 * join customers with the order totals and send the customer messages; the last of those sends
 * the `finish` task, which sends the referential errors and the `batch_summary` and marks the
 * revision aggregated. Every task is idempotent (its writes and messages have fixed keys and
 * ids), resumable (progress records), and stops when a newer revision exists.
 *
 * @example
 * await startPartitionedAggregation(request, 8, dependencies, settings, options);
 */
export const startPartitionedAggregation = async (
  request: PartitionedRequest,
  partitions: number,
  dependencies: AggregateDependencies,
  settings: PartitionedSettings,
  options: AggregateOptions,
): Promise<PartitionedOutcome> => {
  const context = await contextOf(request, dependencies, settings, options);
  if ('status' in context) return context;
  const { batchId, revision } = request;
  const expiring = expiringFiles(context);
  if (expiring.length > 0) return reportExpired(context, expiring);
  const { outcome, value } = await updateRecord<RunState, ReturnType<typeof startRun>['outcome']>(
    dependencies.store,
    batchId,
    runRecordName(revision),
    recordsExpireAt(context),
    (run) => startRun(run, revision, partitions, request.owner),
  );
  // A resend keeps the partitions the run was started with, whatever the setting is now.
  const planned = value?.partitions ?? partitions;
  if (outcome !== 'running') await sendTasks(context, 'orders', planned);
  return {
    batchId,
    revision,
    status: outcome === 'started' ? 'started' : outcome === 'resend' ? 'resent' : 'running',
    partitions: planned,
  };
};

/**
 * Runs one task of a partitioned aggregation (see {@link startPartitionedAggregation}).
 *
 * @example
 * await runAggregationTask(request, { phase: 'orders', partition: 3, partitions: 8 }, dependencies, settings, options);
 */
export const runAggregationTask = async (
  request: PartitionedRequest,
  task: AggregationTask,
  dependencies: AggregateDependencies,
  settings: PartitionedSettings,
  options: AggregateOptions,
): Promise<PartitionedOutcome> => {
  const context = await contextOf(request, dependencies, settings, options);
  if ('status' in context) return context;
  try {
    if (task.phase === 'orders') return await ordersTask(context, task);
    if (task.phase === 'customers') return await customersTask(context, task);
    return await finishTaskOf(context, task);
  } catch (error) {
    const missingFiles =
      error instanceof StagedRowsMissingError
        ? context.revision.files.filter((file) => file.key === error.key)
        : [];
    if (missingFiles.length > 0) return reportExpired(context, missingFiles);
    // A run's records and chunks expire with the revision's staged rows: missing when those
    // are due, they report the revision expired; missing sooner, something else lost them,
    // and the task fails (to the DLQ and its alarm) rather than send what it cannot know.
    if (!(error instanceof StagedRowsMissingError || error instanceof RunRecordMissingError))
      throw error;
    const expiring = expiringFiles(context);
    if (expiring.length === 0) throw error;
    return reportExpired(context, expiring);
  }
};

/** The revision's files whose staged rows expire before a run could use them. */
const expiringFiles = (context: Context): RevisionFile[] =>
  context.revision.files.filter((file) => file.expiresAt <= context.now() + CLAIM_MARGIN_MS);

/**
 * When a run's records and intermediate chunks expire: with the revision's last staged rows
 * (a task after that reports the revision expired), and never sooner than {@link RUN_TTL_MS}.
 */
const recordsExpireAt = (context: Context): number =>
  Math.max(context.now() + RUN_TTL_MS, ...context.revision.files.map((file) => file.expiresAt));

/** Reads the batch: the revision and its file names, or why there is nothing to do. */
const contextOf = async (
  request: PartitionedRequest,
  dependencies: AggregateDependencies,
  settings: PartitionedSettings,
  options: AggregateOptions,
): Promise<Context | PartitionedOutcome> => {
  const stored = await dependencies.store.readBatchState(request.batchId);
  const check = revisionCheck(stored?.state, request.revision);
  const revision = stored?.state.revision;
  if (check !== 'current' || revision === undefined) {
    return {
      batchId: request.batchId,
      revision: request.revision,
      status: check === 'current' ? 'unknown' : check,
      sent: 0,
    };
  }
  return {
    request,
    dependencies,
    settings,
    options,
    now: options.now ?? Date.now,
    revision,
    files: revision.files.map((file) => file.file),
  };
};

const sendTasks = async (context: Context, phase: AggregationPhase, partitions: number) => {
  const { batchId, revision } = context.request;
  const count = phase === 'finish' ? 1 : partitions;
  for (let partition = 0; partition < count; partition += 1) {
    await context.dependencies.requests.requestAggregation({
      type: 'batch_ready',
      batch_id: batchId,
      revision,
      task: { phase, partition, partitions },
    });
  }
};

const updateTask = <O>(
  context: Context,
  phase: AggregationPhase,
  partition: number,
  transition: (task: TaskState | undefined) => { next?: TaskState; outcome: O },
) =>
  updateRecord<TaskState, O>(
    context.dependencies.store,
    context.request.batchId,
    taskRecordName(context.request.revision, phase, partition),
    recordsExpireAt(context),
    transition,
  );

/** The record of an earlier phase's task, which must be done: the later phase needs its output. */
const doneTask = async (
  context: Context,
  phase: AggregationPhase,
  partition: number,
): Promise<TaskState> => {
  const name = taskRecordName(context.request.revision, phase, partition);
  const task = (await context.dependencies.store.readRecord(context.request.batchId, name))
    ?.value as TaskState | undefined;
  if (task?.done !== true)
    throw new RunRecordMissingError(
      `task record ${JSON.stringify(name)} of batch ${JSON.stringify(context.request.batchId)} is ${task === undefined ? 'missing' : 'not done'}`,
    );
  return task;
};

/**
 * Records the task done in the run and, if it was the phase's last, sends the next phase's
 * tasks (the starter's retry sends them again).
 */
const completeInRun = async (
  context: Context,
  task: AggregationTask,
  customerMessages: number,
): Promise<boolean> => {
  if (task.phase === 'finish') return false;
  const { outcome, value } = await updateRecord<RunState, 'start-next' | 'wait'>(
    context.dependencies.store,
    context.request.batchId,
    runRecordName(context.request.revision),
    recordsExpireAt(context),
    (run) =>
      completeTask(
        run,
        task.phase as 'orders',
        task.partition,
        context.request.owner,
        customerMessages,
      ),
  );
  if (value === undefined)
    throw new RunRecordMissingError(
      `the run of revision ${context.request.revision} of batch ${JSON.stringify(context.request.batchId)} has no record`,
    );
  if (outcome !== 'start-next') return false;
  await sendTasks(context, task.phase === 'orders' ? 'customers' : 'finish', task.partitions);
  return true;
};

const taskDone = async (
  context: Context,
  task: AggregationTask,
  sent: number,
  customerMessages: number,
  summary?: { readonly customerMessages: number; readonly errorMessages: number },
): Promise<PartitionedOutcome> => ({
  batchId: context.request.batchId,
  revision: context.request.revision,
  status: 'task-done',
  phase: task.phase,
  partition: task.partition,
  sent,
  startedNext: await completeInRun(context, task, customerMessages),
  ...(summary !== undefined && { summary }),
});

/** The files of a kind of the revision, with their index among its files. */
const filesOfKind = (revision: BatchRevision, kind: RevisionFile['kind']) =>
  revision.files.flatMap((file, index) => (file.kind === kind ? [{ file, index }] : []));

/** What a partition's join needs to know: the batch, the error cap, the revision's file names. */
const joinInputOf = (context: Context) => ({
  batchId: context.request.batchId,
  maxErrorsPerFile: context.settings.maxRowErrors,
  files: context.files,
});

/**
 * Hands the partition's rows of every customers or orders file of the revision to `add`, file
 * by file in the revision's order (`file` is the file's index among the revision's files).
 */
const forEachPartitionRows = async <K extends 'customers' | 'orders'>(
  context: Context,
  kind: K,
  partition: Partition,
  add: (rows: readonly StagedRowOfKind[K][], file: number) => void,
): Promise<void> => {
  const { store } = context.dependencies;
  for (const { file, index } of filesOfKind(context.revision, kind)) {
    const ofKind = file as RevisionFile & { readonly kind: K };
    for await (const rows of partitionRows(store, context.request.batchId, ofKind, partition))
      add(rows, index);
  }
};

/**
 * Orders phase, one order partition: its orders meet its items; the accepted orders' totals go
 * to the customers partitions that will need them, the problems to the finish task.
 */
const ordersTask = async (context: Context, task: AggregationTask): Promise<PartitionedOutcome> => {
  const { store } = context.dependencies;
  const { batchId, revision: number } = context.request;
  const claim = await updateTask(context, 'orders', task.partition, (state) =>
    claimTask(state, context.request.attempt),
  );
  if (claim.outcome.status === 'done') return taskDone(context, task, 0, 0);
  const partition: Partition = task;
  const totals = new OrderTotals(joinInputOf(context));
  await forEachPartitionRows(context, 'orders', partition, (rows, file) =>
    totals.addOrders(rows, file),
  );
  const keep = inPartition(partition);
  for (const { file, index } of filesOfKind(context.revision, 'items')) {
    for await (const { text, filter } of partitionChunks(store, batchId, file, partition))
      totals.addStagedItems(text, index, filter ? keep : undefined);
  }
  const joined = totals.finish();
  const expiresAt = recordsExpireAt(context);
  // The orders grouped by customers partition (a counting sort of their numbers), then each
  // group's totals made, packed and written in turn: the task holds one group's lines at a time
  // on top of its orders, and makes each total once.
  const slots = new Uint8Array(joined.count);
  const starts = new Uint32Array(task.partitions + 1);
  for (let order = 0; order < joined.count; order += 1) {
    const slot = slotOf(referenceHash(joined.customerReferenceAt(order)), task.partitions);
    slots[order] = slot;
    starts[slot + 1] = (starts[slot + 1] ?? 0) + 1;
  }
  for (let slot = 0; slot < task.partitions; slot += 1)
    starts[slot + 1] = (starts[slot + 1] ?? 0) + (starts[slot] ?? 0);
  const grouped = new Uint32Array(joined.count);
  const next = starts.slice(0, task.partitions);
  for (let order = 0; order < joined.count; order += 1) {
    const slot = slots[order] ?? 0;
    grouped[next[slot] ?? 0] = order;
    next[slot] = (next[slot] ?? 0) + 1;
  }
  const linesFor = function* (customers: number) {
    for (let at = starts[customers] ?? 0; at < (starts[customers + 1] ?? 0); at += 1)
      yield orderTotalLine(joined.totalAt(grouped[at] ?? 0));
  };
  const totalsStream = streamOf(number, 'orders', task.partition, 'totals');
  const totalsChunks: number[] = [];
  for (let customers = 0; customers < task.partitions; customers += 1) {
    const texts = packLines(linesFor(customers), store.maxChunkBytes);
    totalsChunks.push(await writeStream(store, batchId, totalsStream, customers, texts, expiresAt));
  }
  const problemChunks = await writeProblems(context, 'orders', task.partition, joined.problems);
  const finished = await updateTask(context, 'orders', task.partition, (state) =>
    finishTask(state, context.request.attempt, { sent: 0, totalsChunks, problemChunks }),
  );
  if (finished.outcome !== 'recorded') return stopped(context, 'taken-over', 0);
  return taskDone(context, task, 0, 0);
};

const writeProblems = (
  context: Context,
  phase: AggregationPhase,
  partition: number,
  problems: readonly FileProblems[],
) =>
  writeStream(
    context.dependencies.store,
    context.request.batchId,
    streamOf(context.request.revision, phase, partition, 'problems'),
    0,
    packLines(problemLines(problems), context.dependencies.store.maxChunkBytes),
    recordsExpireAt(context),
  );

/**
 * Customers phase, one customer partition: its customers meet the order totals every orders
 * task left for it; sends its customer messages in groups, recording progress after each.
 */
const customersTask = async (
  context: Context,
  task: AggregationTask,
): Promise<PartitionedOutcome> => {
  const { store } = context.dependencies;
  const { batchId, revision: number, attempt } = context.request;
  const claim = await updateTask(context, 'customers', task.partition, (state) =>
    claimTask(state, attempt),
  );
  if (claim.outcome.status === 'done')
    return taskDone(context, task, 0, claim.outcome.task.customerMessages ?? 0);
  const totals = new CustomerTotals(joinInputOf(context));
  await forEachPartitionRows(context, 'customers', task, (rows, file) =>
    totals.addCustomers(rows, file),
  );
  for (let orders = 0; orders < task.partitions; orders += 1) {
    const done = await doneTask(context, 'orders', orders);
    const chunks = done.totalsChunks?.[task.partition] ?? 0;
    const stream = streamOf(number, 'orders', orders, 'totals');
    for (const text of await readStream(store, batchId, stream, task.partition, chunks))
      for (const total of orderTotalsOf(text)) totals.addOrderTotal(total);
  }
  const joined = totals.finish();
  const sending = await sendWithProgress(context, task, joined.customers, claim.outcome.sent);
  if (sending.status !== 'sent') return sending.outcome;
  const problemChunks = await writeProblems(context, 'customers', task.partition, joined.problems);
  const finished = await updateTask(context, 'customers', task.partition, (state) =>
    finishTask(state, attempt, {
      sent: joined.customers.length,
      problemChunks,
      customerMessages: joined.customers.length,
    }),
  );
  if (finished.outcome !== 'recorded') return stopped(context, 'taken-over', sending.sent);
  return taskDone(context, task, sending.sent, joined.customers.length);
};

/**
 * Finish: the referential errors of every task, capped per file as one pass would cap them,
 * then the `batch_summary`, then the revision marked aggregated.
 */
const finishTaskOf = async (
  context: Context,
  task: AggregationTask,
): Promise<PartitionedOutcome> => {
  const { store } = context.dependencies;
  const { batchId, revision: number, attempt } = context.request;
  const claim = await updateTask(context, 'finish', 0, (state) => claimTask(state, attempt));
  if (claim.outcome.status === 'done') return taskDone(context, task, 0, 0);
  const collected: FileProblems[][] = [];
  let customerMessages = 0;
  for (const phase of ['orders', 'customers'] as const) {
    for (let partition = 0; partition < task.partitions; partition += 1) {
      const done = await doneTask(context, phase, partition);
      customerMessages += phase === 'customers' ? (done.customerMessages ?? 0) : 0;
      const stream = streamOf(number, phase, partition, 'problems');
      collected.push(
        problemsOf(await readStream(store, batchId, stream, 0, done.problemChunks ?? 0)),
      );
    }
  }
  const errors = mergedMessages(batchId, context.settings.maxRowErrors, collected, context.files);
  const sending = await sendWithProgress(context, task, errors, claim.outcome.sent);
  if (sending.status !== 'sent') return sending.outcome;
  const summary: BatchSummaryMessage = summaryOf(context, customerMessages, errors.length);
  await context.dependencies.sink.send([outboundMessageOf({ batchId, revision: number }, summary)]);
  const finished = await updateBatchState(store, batchId, (state) =>
    finishRevision(
      state,
      number,
      { outcome: 'sent', customerMessages, errorMessages: errors.length },
      context.now(),
    ),
  );
  await updateTask(context, 'finish', 0, (state) =>
    finishTask(state, attempt, { sent: errors.length + 1 }),
  );
  if (finished.outcome !== 'recorded') return stopped(context, finished.outcome, sending.sent + 1);
  return taskDone(context, task, sending.sent + 1, 0, {
    customerMessages,
    errorMessages: errors.length,
  });
};

const summaryOf = (
  context: Context,
  customerMessages: number,
  errorMessages: number,
): BatchSummaryMessage => ({
  type: 'batch_summary',
  batch_id: context.request.batchId,
  revision: context.revision.number,
  files: context.revision.files.map((file) => ({
    kind: file.kind,
    file: file.file,
    object_key: file.key,
    object_version: file.version,
    rows: file.rowCount,
  })),
  customer_messages: customerMessages,
  error_messages: errorMessages,
});

/**
 * Sends a task's messages from `from` in groups of {@link MESSAGES_PER_GROUP}, recording
 * progress after each and checking that the revision is still current; hands the rest to a
 * continuation (the same task, sent again) when the invocation runs short of time.
 */
const sendWithProgress = async (
  context: Context,
  task: AggregationTask,
  messages: readonly OutputMessage[],
  from: number,
): Promise<
  | { readonly status: 'sent'; readonly sent: number }
  | { readonly status: 'stopped'; readonly outcome: PartitionedOutcome }
> => {
  const { batchId, revision: number, attempt } = context.request;
  const remaining = context.options.remainingTimeMs;
  const reserveMs = Math.min(MAX_TIME_RESERVE_MS, remaining() / 5);
  let sent = 0;
  let slowestGroupMs = 0;
  for (let at = from; at < messages.length; at += MESSAGES_PER_GROUP) {
    if (sent > 0 && remaining() < reserveMs + slowestGroupMs) {
      await context.dependencies.requests.requestAggregation({
        type: 'batch_ready',
        batch_id: batchId,
        revision: number,
        task,
      });
      return {
        status: 'stopped',
        outcome: { batchId, revision: number, status: 'task-continued', phase: task.phase, sent },
      };
    }
    const stored = await context.dependencies.store.readBatchState(batchId);
    const check = revisionCheck(stored?.state, number);
    if (check !== 'current') return { status: 'stopped', outcome: stopped(context, check, sent) };
    const started = context.now();
    const group = messages.slice(at, at + MESSAGES_PER_GROUP);
    await context.dependencies.sink.send(
      group.map((message) => outboundMessageOf({ batchId, revision: number }, message)),
    );
    sent += group.length;
    const progress = await updateTask(context, task.phase, task.partition, (state) =>
      recordTaskProgress(state, attempt, at + group.length),
    );
    if (progress.outcome !== 'recorded')
      return { status: 'stopped', outcome: stopped(context, 'taken-over', sent) };
    slowestGroupMs = Math.max(slowestGroupMs, context.now() - started);
  }
  return { status: 'sent', sent };
};

const stopped = (
  context: Context,
  status: 'superseded' | 'done' | 'unknown' | 'taken-over',
  sent: number,
): PartitionedOutcome => ({
  batchId: context.request.batchId,
  revision: context.request.revision,
  status,
  sent,
});

/** Staged rows the revision needs are gone: says which files to upload again, once. */
const reportExpired = async (
  context: Context,
  files: readonly Pick<RevisionFile, 'file'>[],
): Promise<PartitionedOutcome> => {
  const { batchId, revision } = context.request;
  const error: RowError = expiredFilesError(files);
  await context.dependencies.sink.send([
    outboundMessageOf({ batchId, revision }, errorMessageOf(batchId, error)),
  ]);
  const finished = await updateBatchState(context.dependencies.store, batchId, (state) =>
    finishRevision(
      state,
      revision,
      { outcome: 'expired', customerMessages: 0, errorMessages: 1 },
      context.now(),
    ),
  );
  // Several tasks may find the rows expired and send the same message (one id); the one that
  // records the revision expired reports it, so it is counted once.
  if (finished.outcome !== 'recorded') return stopped(context, finished.outcome, 1);
  return { batchId, revision, status: 'expired', files: files.map((file) => file.file) };
};
