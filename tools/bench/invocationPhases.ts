import type { ObservedInvocation } from '@tally/local-stack';

/**
 * What an invocation of Tally's functions worked on: `ingest` (a file's segment, or an event
 * with no rows), `aggregate` (an aggregator request without a task: a whole batch at P = 1, or
 * the start of a partitioned aggregation), or a partitioned aggregation's task by its phase.
 */
export const INVOCATION_PHASES = ['ingest', 'aggregate', 'orders', 'customers', 'finish'] as const;
export type InvocationPhase = (typeof INVOCATION_PHASES)[number];

/** The invocations of one phase: how many, how many failed, and their summed durations. */
export interface PhaseTotals {
  invocations: number;
  failed: number;
  busyMs: number;
}

/** Every phase's totals, and the partitions the aggregation's tasks named (1 without tasks). */
export interface InvocationPhases {
  readonly phases: Record<InvocationPhase, PhaseTotals>;
  readonly partitions: number;
}

interface TaskOfBody {
  readonly task?: { readonly phase?: unknown; readonly partitions?: unknown };
}

const taskOf = (invocation: ObservedInvocation): TaskOfBody['task'] => {
  const records = (invocation.event as { Records?: { body?: unknown }[] }).Records ?? [];
  const body = records[0]?.body;
  if (typeof body !== 'string') return undefined;
  try {
    return (JSON.parse(body) as TaskOfBody).task;
  } catch {
    return undefined;
  }
};

const phaseOf = (invocation: ObservedInvocation): InvocationPhase => {
  if (invocation.functionKey === 'ingest') return 'ingest';
  const phase = taskOf(invocation)?.phase;
  return INVOCATION_PHASES.find((known) => known === phase && known !== 'ingest') ?? 'aggregate';
};

/**
 * Sums observed invocations by what they worked on (the aggregator's SQS message names its
 * task), so a run's rows divided by a phase's busy time give that phase's rows per
 * invocation-second.
 *
 * @example
 * invocationPhasesOf(observed).phases.orders.busyMs; // the phase-1 tasks' durations, summed
 */
export const invocationPhasesOf = (
  invocations: readonly ObservedInvocation[],
): InvocationPhases => {
  const phases = Object.fromEntries(
    INVOCATION_PHASES.map((phase) => [phase, { invocations: 0, failed: 0, busyMs: 0 }]),
  ) as Record<InvocationPhase, PhaseTotals>;
  let partitions = 1;
  for (const invocation of invocations) {
    const totals = phases[phaseOf(invocation)];
    totals.invocations += 1;
    totals.busyMs += invocation.durationMs;
    if (!invocation.success) totals.failed += 1;
    const named = taskOf(invocation)?.partitions;
    if (invocation.functionKey === 'aggregator' && typeof named === 'number') {
      partitions = Math.max(partitions, named);
    }
  }
  return { phases, partitions };
};
