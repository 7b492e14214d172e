import { createSeededRandom } from '../generate/seededRandom';
import type { SeededRandom } from '../generate/seededRandom';
import type { MeteredRequest, RequestFault } from '@tally/local-stack';
import { AWS_ERRORS } from './awsFaultResponses';

/** The calls the functions make, grouped as AWS throttles and fails them. */
export const FAULT_FAMILIES = ['s3-get', 'dynamodb-read', 'dynamodb-write', 'sqs-send'] as const;
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

/** Probability, per request, that a call of each family fails. */
export type AwsFaultRates = { readonly [F in FaultFamily]: number };

const DYNAMODB_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/** The family of a metered operation (`S3.GET`, `DynamoDB.Query`, `SQS.SendMessageBatch`, ...). */
export const faultFamilyOf = (operation: string): FaultFamily | undefined => {
  const [service, name = ''] = operation.split('.');
  if (service === 'S3') return name === 'GET' ? 's3-get' : undefined;
  if (service === 'DynamoDB') return DYNAMODB_READS.has(name) ? 'dynamodb-read' : 'dynamodb-write';
  if (service === 'SQS') return name.startsWith('SendMessage') ? 'sqs-send' : undefined;
  return undefined;
};

/** A fault and the name it is counted under. */
interface NamedFault {
  readonly name: string;
  readonly fault: (random: SeededRandom) => RequestFault;
}

/** Drops the connection after a random share of the response: the work was done, the answer lost. */
const reset: NamedFault = {
  name: 'connection reset',
  fault: (random) => ({ type: 'reset', afterFraction: random.below(1000) / 1000 }),
};

const FAULTS: { readonly [F in FaultFamily]: readonly NamedFault[] } = {
  's3-get': [
    { name: '503 SlowDown', fault: AWS_ERRORS.s3.slowDown },
    { name: '500 InternalError', fault: AWS_ERRORS.s3.internalError },
    reset,
  ],
  'dynamodb-read': [
    {
      name: '400 ProvisionedThroughputExceeded',
      fault: AWS_ERRORS.dynamodb.provisionedThroughputExceeded,
    },
    { name: '400 ThrottlingException', fault: AWS_ERRORS.dynamodb.throttling },
    { name: '500 InternalServerError', fault: AWS_ERRORS.dynamodb.internalServerError },
    reset,
  ],
  'dynamodb-write': [
    {
      name: '400 ProvisionedThroughputExceeded',
      fault: AWS_ERRORS.dynamodb.provisionedThroughputExceeded,
    },
    { name: '400 ThrottlingException', fault: AWS_ERRORS.dynamodb.throttling },
    { name: '500 InternalServerError', fault: AWS_ERRORS.dynamodb.internalServerError },
    reset,
  ],
  'sqs-send': [
    { name: '500 InternalError', fault: AWS_ERRORS.sqs.internalError },
    { name: '400 ThrottlingException', fault: AWS_ERRORS.sqs.throttling },
    reset,
  ],
};

export interface AwsFaultInjectorOptions {
  readonly seed: number;
  readonly rates: AwsFaultRates;
  /**
   * Drop the connection in the middle of the first object body the functions read. The SDK
   * cannot retry a body that fails after the headers, so this guarantees one failed
   * invocation (and one redelivery) per iteration whatever the dice say.
   */
  readonly resetFirstObjectRead?: boolean;
  /** Called once per injected fault, e.g. `count('DynamoDB.Query 400 ThrottlingException')`. */
  readonly count: (fault: string) => void;
}

/**
 * Decides, for each request a function makes, whether AWS fails it and how: with probability
 * `rates[family]` a fault of that family, picked uniformly (a realistic error response, or a
 * connection dropped mid-response). Each family draws from its own seeded generator, so the
 * n-th S3 read gets the same fate in every run of a seed, however the calls of other families
 * interleave with it.
 *
 * @example
 * const faults = createAwsFaultInjector({ seed: 7, rates, count });
 * faults({ operation: 'DynamoDB.Query', body }); // undefined, or a RequestFault
 */
export const createAwsFaultInjector = (
  options: AwsFaultInjectorOptions,
): ((request: MeteredRequest) => RequestFault | undefined) => {
  const randoms = new Map(
    FAULT_FAMILIES.map((family, index) => [
      family,
      createSeededRandom((options.seed * 0x9e3779b1 + index + 1) >>> 0),
    ]),
  );
  let firstObjectRead = options.resetFirstObjectRead ?? false;
  return ({ operation }) => {
    const family = faultFamilyOf(operation);
    if (family === undefined) return undefined;
    const random = randoms.get(family) as SeededRandom;
    if (family === 's3-get' && firstObjectRead) {
      firstObjectRead = false;
      options.count(`${operation} ${reset.name}`);
      return { type: 'reset', afterFraction: 0.05 + random.below(900) / 1000 };
    }
    if (!random.chance(options.rates[family])) return undefined;
    const chosen = random.pick(FAULTS[family]);
    options.count(`${operation} ${chosen.name}`);
    return chosen.fault(random);
  };
};
