import type { SQSEvent } from 'aws-lambda';
import type { LambdaHost, ProcessMemory } from './lambdaHost';

/**
 * What CloudWatch would record for one function and its event source: the inputs of the
 * Errors and ApproximateAgeOfOldestMessage alarms. The local host never throttles (invocations
 * past the concurrency wait), so there is no Throttles figure.
 */
export interface FunctionMetrics {
  invocations: number;
  /** Failed invocations (thrown errors, timeouts, crashes): Lambda's `Errors`. */
  errors: number;
  /** Of those, timeouts (Lambda's `Sandbox.Timedout`). */
  timeouts: number;
  /** Failed invocations by error type, e.g. `FullBatchFailureError`, `Sandbox.Timedout`. */
  errorTypes: Record<string, number>;
  /** The oldest message age seen when a batch was received, ms (SentTimestamp to receipt). */
  maxMessageAgeMs: number;
  /** The highest ApproximateReceiveCount received. */
  maxReceiveCount: number;
  /**
   * Each process (execution environment) the function ran in so far and its peak RSS, as
   * Lambda's REPORT line gives "Max Memory Used" (CloudWatch Lambda Insights' `used_memory_max`).
   */
  processes: ProcessMemory[];
}

/** Metrics of a function that has not run yet. */
export const emptyFunctionMetrics = (): FunctionMetrics => ({
  invocations: 0,
  errors: 0,
  timeouts: 0,
  errorTypes: {},
  maxMessageAgeMs: 0,
  maxReceiveCount: 0,
  processes: [],
});

/**
 * The host as its event source poller sees it, recording into `metrics` what CloudWatch would:
 * each batch's oldest message and highest receive count, each invocation and its failure type.
 *
 * @example
 * const poller = startSqsEventSourcePoller({ ...options, host: measuredHost(host, metrics) });
 */
export const measuredHost = (
  host: Pick<LambdaHost, 'invoke'>,
  metrics: FunctionMetrics,
): Pick<LambdaHost, 'invoke'> => ({
  invoke: async (event, options) => {
    const receivedAt = Date.now();
    for (const record of (event as SQSEvent).Records) {
      metrics.maxMessageAgeMs = Math.max(
        metrics.maxMessageAgeMs,
        receivedAt - Number(record.attributes.SentTimestamp),
      );
      metrics.maxReceiveCount = Math.max(
        metrics.maxReceiveCount,
        Number(record.attributes.ApproximateReceiveCount),
      );
    }
    const outcome = await host.invoke(event, options);
    metrics.invocations += 1;
    if (!outcome.success) {
      metrics.errors += 1;
      const { errorType } = outcome.error;
      if (errorType === 'Sandbox.Timedout') metrics.timeouts += 1;
      metrics.errorTypes[errorType] = (metrics.errorTypes[errorType] ?? 0) + 1;
    }
    return outcome;
  },
});
