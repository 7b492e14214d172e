import { startAwsRequestMeter } from './awsRequestMeter';
import type { AwsRequestMeter, AwsRequestMeterOptions, AwsUsage } from './awsRequestMeter';
import type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };
import { RunningParts } from './RunningParts';

type Service = keyof EmulatorEndpoints;

/** One request meter per service: the endpoints the functions use, and what went through. */
export interface MeteredEndpoints {
  /** Give these to the functions: each forwards to the emulator and counts. */
  endpoints: EmulatorEndpoints;
  /** All services together: requests by operation, DynamoDB capacity units. */
  usage(): AwsUsage;
  stop(): Promise<void>;
}

/**
 * Puts a request meter in front of each service, so a run can report what it would cost on
 * AWS. `faults` (reliability tests) is each meter's fault hook: the requests it makes fail.
 *
 * @example
 * const metered = await startMeteredEndpoints(endpoints);
 * metered.usage().dynamodbWriteUnits;
 */
export const startMeteredEndpoints = async (
  endpoints: EmulatorEndpoints,
  faults: Partial<Record<Service, AwsRequestMeterOptions['faults']>> = {},
): Promise<MeteredEndpoints> => {
  const parts = new RunningParts();
  const meter = async (service: Service): Promise<AwsRequestMeter> => {
    const hook = faults[service];
    return parts.add(await startAwsRequestMeter(endpoints[service], hook ? { faults: hook } : {}));
  };
  try {
    const meters = [await meter('s3'), await meter('sqs'), await meter('dynamodb')] as const;
    const [s3, sqs, dynamodb] = meters;
    return {
      endpoints: { s3: s3.endpoint, sqs: sqs.endpoint, dynamodb: dynamodb.endpoint },
      usage: () => {
        const parts = meters.map((part) => part.usage());
        return {
          requests: Object.assign({}, ...parts.map((part) => part.requests)) as Record<
            string,
            number
          >,
          dynamodbWriteUnits: parts.reduce((sum, part) => sum + part.dynamodbWriteUnits, 0),
          dynamodbReadUnits: parts.reduce((sum, part) => sum + part.dynamodbReadUnits, 0),
        };
      },
      stop: () => parts.stopAll(),
    };
  } catch (error) {
    await parts.stopAll();
    throw error;
  }
};
