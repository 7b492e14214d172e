import type { AwsCall } from './awsCallsOf';
import { startAwsRequestMeter } from './awsRequestMeter';
import type { AwsRequestMeter, AwsRequestMeterOptions, AwsUsage } from './awsRequestMeter';
import type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };
import { FUNCTION_KEYS } from './pipelineSettings';
import type { FunctionKey } from './pipelineSettings';
import { RunningParts } from './RunningParts';

type Service = keyof EmulatorEndpoints;

// In name order, so operations() comes sorted.
const SERVICES = ['dynamodb', 's3', 'sqs'] as const satisfies readonly Service[];

/** An AWS call one function made: what its execution role must allow. */
export interface ObservedOperation extends AwsCall {
  function: FunctionKey;
}

export interface MeteredEndpointsOptions {
  /** Per service, the fault hook of that service's meters (every function's). */
  faults?: Partial<Record<Service, AwsRequestMeterOptions['faults']>>;
  /** How the meters name a call's resource (see `AwsRequestMeterOptions.resourceClass`). */
  resourceClass?: AwsRequestMeterOptions['resourceClass'];
}

/** A request meter per function and service: the endpoints each function uses, and what went through. */
export interface MeteredEndpoints {
  /** Give each function its own: each endpoint forwards to the emulator, counts and records. */
  endpoints: Record<FunctionKey, EmulatorEndpoints>;
  /** All functions and services together: requests by operation, DynamoDB capacity units. */
  usage(): AwsUsage;
  /** The same, of one function's requests only. */
  usageOf(functionKey: FunctionKey): AwsUsage;
  /** Every distinct call of every function, sorted by function, then as the meters sort them. */
  operations(): ObservedOperation[];
  stop(): Promise<void>;
}

const sumUsage = (parts: readonly AwsUsage[]): AwsUsage => {
  const requests: Record<string, number> = {};
  for (const part of parts) {
    for (const [operation, count] of Object.entries(part.requests))
      requests[operation] = (requests[operation] ?? 0) + count;
  }
  return {
    requests,
    dynamodbWriteUnits: parts.reduce((sum, part) => sum + part.dynamodbWriteUnits, 0),
    dynamodbReadUnits: parts.reduce((sum, part) => sum + part.dynamodbReadUnits, 0),
  };
};

/**
 * Puts a request meter in front of each service for each function, so a run can report what
 * it would cost on AWS and which calls each function's role must allow (the meters of one
 * function see only its requests). `faults` (reliability tests) is each service's fault hook:
 * the requests it makes fail, whichever function sends them.
 *
 * @example
 * const metered = await startMeteredEndpoints(endpoints);
 * metered.usage().dynamodbWriteUnits;
 * metered.operations(); // [{ function: 'aggregator', service: 'dynamodb', operation: 'GetItem', resource: 'tally-local-staging' }, ...]
 */
export const startMeteredEndpoints = async (
  endpoints: EmulatorEndpoints,
  options: MeteredEndpointsOptions = {},
): Promise<MeteredEndpoints> => {
  const parts = new RunningParts();
  const meter = async (service: Service): Promise<AwsRequestMeter> => {
    const hook = options.faults?.[service];
    return parts.add(
      await startAwsRequestMeter(endpoints[service], {
        ...(hook && { faults: hook }),
        ...(options.resourceClass && { resourceClass: options.resourceClass }),
      }),
    );
  };
  try {
    const meters = {} as Record<FunctionKey, Record<Service, AwsRequestMeter>>;
    const functionEndpoints = {} as Record<FunctionKey, EmulatorEndpoints>;
    for (const functionKey of FUNCTION_KEYS) {
      const own = {
        s3: await meter('s3'),
        sqs: await meter('sqs'),
        dynamodb: await meter('dynamodb'),
      };
      meters[functionKey] = own;
      functionEndpoints[functionKey] = {
        s3: own.s3.endpoint,
        sqs: own.sqs.endpoint,
        dynamodb: own.dynamodb.endpoint,
      };
    }
    return {
      endpoints: functionEndpoints,
      usage: () =>
        sumUsage(
          FUNCTION_KEYS.flatMap((functionKey) =>
            SERVICES.map((service) => meters[functionKey][service].usage()),
          ),
        ),
      usageOf: (functionKey) =>
        sumUsage(SERVICES.map((service) => meters[functionKey][service].usage())),
      operations: () =>
        [...FUNCTION_KEYS]
          .sort()
          .flatMap((functionKey) =>
            SERVICES.flatMap((service) =>
              meters[functionKey][service]
                .calls()
                .map((call) => ({ function: functionKey, ...call })),
            ),
          ),
      stop: () => parts.stopAll(),
    };
  } catch (error) {
    await parts.stopAll();
    throw error;
  }
};
