import type { AggregationPhase } from '../../messages/outputMessageTypes';
import type { RecordTransition } from '../../lifecycle/updateRecord';
import type { RecordStore } from '../../ports/RecordStore';

/**
 * How far a partitioned aggregation of one revision is: which tasks of each phase are done, and
 * who started each phase. A phase starts exactly once: the task that records the previous
 * phase's last completion also records itself as the next phase's starter, then sends its
 * tasks; its own retry (the same request) sends them again, nobody else does.
 */
export interface RunState {
  readonly [name: string]: string | number | readonly number[] | undefined;
  readonly revision: number;
  readonly partitions: number;
  /** The request (SQS message id) that started the run and sent the orders tasks. */
  readonly startedBy: string;
  readonly ordersDone: readonly number[];
  readonly customersStartedBy?: string;
  readonly customersDone: readonly number[];
  /** Customer messages of the customers tasks done, for the batch summary. */
  readonly customerMessages: number;
  readonly finishStartedBy?: string;
}

/**
 * One task of a run: the invocation holding it (the newest claim wins, so an older one still
 * running stops at its next record), the messages it has sent, and once done what it left for
 * later tasks (chunk counts of its streams).
 */
export interface TaskState {
  readonly [name: string]: string | number | boolean | readonly number[] | undefined;
  readonly attempt: string;
  readonly sent: number;
  readonly done: boolean;
  /** Orders tasks: chunks of order totals written for each customers partition. */
  readonly totalsChunks?: readonly number[];
  /** Chunks of referential problems written. */
  readonly problemChunks?: number;
  /** Customers tasks: customer messages of the partition. */
  readonly customerMessages?: number;
}

/** The name of a run's record, and of one of its tasks'. */
export const runRecordName = (revision: number): string => `run:${revision}`;
export const taskRecordName = (revision: number, phase: AggregationPhase, partition: number) =>
  `task:${revision}:${phase}:${partition}`;

/** What starting a run means for the request that asks. */
export type RunStart = 'started' | 'resend' | 'running';

/**
 * Creates the run of a revision for `request`, or finds it: `started` (the orders tasks are the
 * caller's to send), `resend` (the caller started it before: send them again, some may be
 * lost), `running` (another request started it).
 */
export const startRun = (
  run: RunState | undefined,
  revision: number,
  partitions: number,
  request: string,
): RecordTransition<RunState, RunStart> => {
  if (run !== undefined) return { outcome: run.startedBy === request ? 'resend' : 'running' };
  return {
    next: {
      revision,
      partitions,
      startedBy: request,
      ordersDone: [],
      customersDone: [],
      customerMessages: 0,
    },
    outcome: 'started',
  };
};

/** Whether the caller, having finished a task, must send the next phase's tasks. */
export type PhaseStep = 'start-next' | 'wait';

/**
 * Records that task `partition` of `phase` is done (once, however often it is reported) and,
 * when it is the phase's last, makes `request` the next phase's starter (`start-next`); the
 * starter's retry gets `start-next` again.
 */
export const completeTask = (
  run: RunState | undefined,
  phase: Exclude<AggregationPhase, 'finish'>,
  partition: number,
  request: string,
  customerMessages = 0,
): RecordTransition<RunState, PhaseStep> => {
  if (run === undefined) return { outcome: 'wait' };
  const doneKey = phase === 'orders' ? 'ordersDone' : 'customersDone';
  const starterKey = phase === 'orders' ? 'customersStartedBy' : 'finishStartedBy';
  const done = run[doneKey];
  const already = done.includes(partition);
  const nowDone = already ? done : [...done, partition];
  const starter = run[starterKey];
  if (nowDone.length < run.partitions) {
    return already
      ? { outcome: 'wait' }
      : {
          next: { ...run, [doneKey]: nowDone, ...counted(run, phase, customerMessages) },
          outcome: 'wait',
        };
  }
  if (starter !== undefined) {
    const outcome = starter === request ? 'start-next' : 'wait';
    return already
      ? { outcome }
      : { next: { ...run, [doneKey]: nowDone, ...counted(run, phase, customerMessages) }, outcome };
  }
  return {
    next: {
      ...run,
      [doneKey]: nowDone,
      [starterKey]: request,
      ...(already ? {} : counted(run, phase, customerMessages)),
    },
    outcome: 'start-next',
  };
};

const counted = (
  run: RunState,
  phase: Exclude<AggregationPhase, 'finish'>,
  customerMessages: number,
): Partial<RunState> =>
  phase === 'customers' ? { customerMessages: run.customerMessages + customerMessages } : {};

/** What claiming a task gives: where to resume, or that it is done. */
export type TaskClaim =
  | { readonly status: 'claimed'; readonly sent: number }
  | { readonly status: 'done'; readonly task: TaskState };

/** Claims a task for `attempt`: the newest claim holds it, resuming from its progress. */
export const claimTask = (
  task: TaskState | undefined,
  attempt: string,
): RecordTransition<TaskState, TaskClaim> => {
  if (task?.done === true) return { outcome: { status: 'done', task } };
  const sent = task?.sent ?? 0;
  return { next: { attempt, sent, done: false }, outcome: { status: 'claimed', sent } };
};

/** Records a task's progress, or `taken-over` when a newer attempt holds it. */
export const recordTaskProgress = (
  task: TaskState | undefined,
  attempt: string,
  sent: number,
): RecordTransition<TaskState, 'recorded' | 'taken-over'> =>
  task === undefined || task.attempt !== attempt || task.done
    ? { outcome: 'taken-over' }
    : { next: { ...task, sent: Math.max(task.sent, sent) }, outcome: 'recorded' };

/** Marks a task done with what it leaves for later tasks, if `attempt` still holds it. */
export const finishTask = (
  task: TaskState | undefined,
  attempt: string,
  result: Pick<TaskState, 'totalsChunks' | 'problemChunks' | 'customerMessages' | 'sent'>,
): RecordTransition<TaskState, 'recorded' | 'taken-over'> =>
  task === undefined || task.attempt !== attempt || task.done
    ? { outcome: 'taken-over' }
    : { next: { ...task, ...result, done: true }, outcome: 'recorded' };

/** How far a partitioned aggregation is, as `tally status` shows it. */
export interface RunProgress {
  readonly partitions: number;
  readonly ordersDone: number;
  readonly customersDone: number;
  readonly finishStarted: boolean;
}

/**
 * The progress of the partitioned aggregation of `revision`, or `undefined` when the revision
 * has no run (aggregated in one pass, not started, or its run record expired).
 *
 * @example
 * await readRunProgress(store, '2024-06-01', 4); // { partitions: 8, ordersDone: 8, customersDone: 3, finishStarted: false }
 */
export const readRunProgress = async (
  store: RecordStore,
  batchId: string,
  revision: number,
): Promise<RunProgress | undefined> => {
  const run = (await store.readRecord(batchId, runRecordName(revision)))?.value as
    RunState | undefined;
  if (run === undefined) return undefined;
  return {
    partitions: run.partitions,
    ordersDone: run.ordersDone.length,
    customersDone: run.customersDone.length,
    finishStarted: run.finishStartedBy !== undefined,
  };
};
