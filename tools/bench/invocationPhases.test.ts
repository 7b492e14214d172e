import type { ObservedInvocation } from '@tally/local-stack';
import { invocationPhasesOf } from './invocationPhases';

const invocation = (
  functionKey: ObservedInvocation['functionKey'],
  body: string,
  durationMs: number,
  success = true,
): ObservedInvocation => ({
  functionKey,
  event: { Records: [{ messageId: 'm1', body }] },
  success,
  durationMs,
});
const request = (task?: object) =>
  JSON.stringify({ type: 'batch_ready', batch_id: 'b1', revision: 1, ...(task && { task }) });

describe('invocationPhasesOf', () => {
  it('sums each phase by the task its message names, and takes the partitions from the tasks', () => {
    const observed = [
      invocation('ingest', '{"Records":[]}', 120),
      invocation('ingest', '{"type":"ingest_continuation"}', 80, false),
      invocation('aggregator', request(), 5),
      invocation('aggregator', request({ phase: 'orders', partition: 0, partitions: 4 }), 30),
      invocation('aggregator', request({ phase: 'orders', partition: 3, partitions: 4 }), 50),
      invocation('aggregator', request({ phase: 'customers', partition: 1, partitions: 4 }), 40),
      invocation('aggregator', request({ phase: 'finish', partition: 0, partitions: 4 }), 2),
    ];
    expect(invocationPhasesOf(observed)).toEqual({
      phases: {
        ingest: { invocations: 2, failed: 1, busyMs: 200 },
        aggregate: { invocations: 1, failed: 0, busyMs: 5 },
        orders: { invocations: 2, failed: 0, busyMs: 80 },
        customers: { invocations: 1, failed: 0, busyMs: 40 },
        finish: { invocations: 1, failed: 0, busyMs: 2 },
      },
      partitions: 4,
    });
  });

  it('counts an aggregator message without a task, or not JSON, as the whole aggregation', () => {
    const { phases, partitions } = invocationPhasesOf([
      invocation('aggregator', request(), 900),
      invocation('aggregator', 'not json', 10),
    ]);
    expect(phases.aggregate).toEqual({ invocations: 2, failed: 0, busyMs: 910 });
    expect(partitions).toBe(1);
  });
});
