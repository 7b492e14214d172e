import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalResources } from './createResources';
import type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };
import { functionConcurrency } from './functionConcurrency';
import type { ConcurrencySetting } from './functionConcurrency';
import { emptyFunctionMetrics, measuredHost } from './functionMetrics';
import type { FunctionMetrics } from './functionMetrics';
import { killingInvocations } from './killingInvocations';
import { lambdaBundlePath } from './lambdaBundles';
import { lambdaEnvironment, lambdaFunctionName } from './lambdaEnvironment';
import { startLambdaHost } from './lambdaHost';
import type { LambdaHost } from './lambdaHost';
import { observingInvocations } from './observingInvocations';
import type { ObservedInvocation } from './observingInvocations';
import { FUNCTION_KEYS } from './pipelineSettings';
import type { FunctionKey, PipelineSettings } from './pipelineSettings';
import { startSqsEventSourcePoller } from './sqsEventSourcePoller';
import type { SqsEventSourcePoller } from './sqsEventSourcePoller';

/** How the functions run; see `LocalStackOptions` for each field. */
export interface LambdaFunctionsOptions {
  resources: LocalResources;
  settings: PipelineSettings;
  /** Per function, the endpoints it calls (its request meters). */
  endpoints: Record<FunctionKey, EmulatorEndpoints>;
  /** Polls the source queues. */
  sqs: SQSClient;
  bundles?: Partial<Record<FunctionKey, string>>;
  environment?: Partial<Record<FunctionKey, Record<string, string>>>;
  concurrency?: ConcurrencySetting;
  retryDelayMs?: number;
  log?: (line: string) => void;
  quiet?: boolean;
  /** How far the functions' clock runs ahead, read at each invocation. Default 0. */
  clockOffsetMs?: () => number;
  /** Fault injection: invocations to kill part-way through, per function. */
  killAfterMs?: Partial<Record<FunctionKey, (event: unknown) => number | undefined>>;
  /** Told about every invocation once it ends. */
  onInvocation?: (invocation: ObservedInvocation) => void;
}

/** Every function of the pipeline running: each a Lambda host fed by an SQS poller. */
export interface LambdaFunctions {
  /** Each function's invocations and errors and its source queue's message ages so far. */
  metrics(): Record<FunctionKey, FunctionMetrics>;
  /** One observation: no invocation runs and every source queue is empty. */
  isIdle(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts each function as Lambda runs it: a host running its bundle in child processes, with
 * the environment Terraform gives it, fed by an event source poller on its source queue with
 * the mapping's batch size. Between the two sit the decorators: the metrics CloudWatch would
 * record and, for reliability tests, invocations killed part-way through.
 *
 * @example
 * const functions = startLambdaFunctions({ resources, settings, endpoints, sqs });
 * await waitUntilSettled(functions.isIdle);
 */
export const startLambdaFunctions = (options: LambdaFunctionsOptions): LambdaFunctions => {
  const hosts = {} as Record<FunctionKey, LambdaHost>;
  const metrics = {} as Record<FunctionKey, FunctionMetrics>;
  // In pipeline order, so one pass over isIdle() sees a message handed from one stage to the next.
  const pollers: SqsEventSourcePoller[] = FUNCTION_KEYS.map((functionKey) => {
    const fn = options.settings.functions[functionKey];
    const concurrency = functionConcurrency(functionKey, options.settings, options.concurrency);
    const host = startLambdaHost({
      functionName: lambdaFunctionName(functionKey, options.resources, options.settings),
      bundlePath: options.bundles?.[functionKey] ?? lambdaBundlePath(functionKey),
      environment: {
        ...lambdaEnvironment(
          functionKey,
          options.resources,
          options.endpoints[functionKey],
          options.settings,
        ),
        ...options.environment?.[functionKey],
      },
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      concurrency,
      ...(options.clockOffsetMs && { clockOffsetMs: options.clockOffsetMs }),
      ...(options.log && { log: options.log }),
      ...(options.quiet && { functionOutput: 'ignore' as const }),
    });
    hosts[functionKey] = host;
    const killAfterMs = options.killAfterMs?.[functionKey];
    const observed = options.onInvocation
      ? observingInvocations(host, functionKey, options.onInvocation)
      : host;
    metrics[functionKey] = emptyFunctionMetrics();
    return startSqsEventSourcePoller({
      sqs: options.sqs,
      queue: options.resources.queues[fn.sourceQueue],
      host: measuredHost(
        killAfterMs ? killingInvocations(observed, killAfterMs) : observed,
        metrics[functionKey],
      ),
      batchSize: fn.batchSize,
      concurrency,
      ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
      ...(options.log && { log: options.log }),
    });
  });
  return {
    metrics: () =>
      Object.fromEntries(
        FUNCTION_KEYS.map((key) => [
          key,
          {
            ...metrics[key],
            errorTypes: { ...metrics[key].errorTypes },
            processes: hosts[key].stats().processes,
          },
        ]),
      ) as Record<FunctionKey, FunctionMetrics>,
    isIdle: async () => {
      for (const poller of pollers) if (!(await poller.isIdle())) return false;
      return true;
    },
    // Together: a host's stop kills its environments, so a poller waiting on one ends at once.
    stop: async () => {
      await Promise.all([
        ...pollers.map((poller) => poller.stop()),
        ...Object.values(hosts).map((host) => host.stop()),
      ]);
    },
  };
};
