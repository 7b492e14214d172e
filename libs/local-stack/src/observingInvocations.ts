import type { LambdaHost } from './lambdaHost';
import type { FunctionKey } from './pipelineSettings';

/** One invocation of a function as the local stack ran it. */
export interface ObservedInvocation {
  readonly functionKey: FunctionKey;
  /** The event it was given: for Tally's functions, a batch of SQS records. */
  readonly event: unknown;
  readonly success: boolean;
  /** From the call to its outcome: a cold start's init included, as Lambda's billed duration. */
  readonly durationMs: number;
}

/**
 * The host, telling `observe` about every invocation once it ends: what a benchmark reads the
 * work done per invocation-second from (rows of a segment, of a partition's task).
 *
 * @example
 * const host = observingInvocations(startLambdaHost(options), 'ingest', (invocation) => seen.push(invocation));
 */
export const observingInvocations = (
  host: Pick<LambdaHost, 'invoke'>,
  functionKey: FunctionKey,
  observe: (invocation: ObservedInvocation) => void,
): Pick<LambdaHost, 'invoke'> => ({
  invoke: async (event, options) => {
    const started = performance.now();
    const outcome = await host.invoke(event, options);
    observe({
      functionKey,
      event,
      success: outcome.success,
      durationMs: performance.now() - started,
    });
    return outcome;
  },
});
