import type { SQSEvent } from 'aws-lambda';
import { AWS_ERRORS } from './awsFaultResponses';
import { createAwsFaultInjector } from './awsFaultInjector';
import type { AwsFaultRates } from './awsFaultInjector';
import type { BatchPlan, IterationContext, Scenario } from './scenario';

/** The SDK's default `maxAttempts` (standard retry mode): a call fails after this many errors. */
const SDK_MAX_ATTEMPTS = 3;

/** A batch of 20 to 200 customers (5 to 10 in the Jest run), about 2% of rows bad. */
const smallBatch = (context: IterationContext, batchId: string, seed = context.seed): BatchPlan => {
  const { random } = context;
  const customers = context.quick ? 5 + random.below(6) : 20 + random.below(181);
  const orders = customers * (2 + random.below(4));
  const items = orders * (2 + random.below(3));
  return { batchId, content: { customers, orders, items, seed, errorRate: 0.02 } };
};

/** The bodies of the records of an SQS event, as a handler receives them. */
const bodiesOf = (event: unknown): string[] =>
  (event as SQSEvent).Records.map((record) => record.body);

const AWS_FAULT_RATES: AwsFaultRates = {
  's3-get': 0.2,
  'dynamodb-read': 0.1,
  'dynamodb-write': 0.1,
  'sqs-send': 0.1,
};

const awsFaults: Scenario = {
  name: 'aws-faults',
  summary:
    'Every S3, DynamoDB and SQS call of the functions may fail (throttling, 5xx, a connection dropped mid-response) at a set rate per call family.',
  iterations: { full: 20, quick: 2 },
  alarms: { errors: 'must-fire', dlq: 'silent' },
  plan: (context) => {
    const inject = createAwsFaultInjector({
      seed: context.seed,
      rates: AWS_FAULT_RATES,
      resetFirstObjectRead: true,
      count: context.count,
    });
    return {
      batches: [smallBatch(context, `aws-faults-${context.seed}`)],
      uploads: 'together',
      faults: { request: (_service, request) => inject(request) },
    };
  },
};

const killedMidFile: Scenario = {
  name: 'killed-mid-file',
  summary:
    'The ingest invocation of a large-ish items file is killed (as a Lambda timeout kills it) at a random moment, once or twice; sometimes the aggregator too.',
  iterations: { full: 12, quick: 2 },
  alarms: { errors: 'must-fire', dlq: 'silent' },
  plan: (context) => {
    const { random } = context;
    const batchId = `killed-mid-file-${context.seed}`;
    const customers = context.quick ? 50 : 100 + random.below(101);
    const orders = customers * 5;
    // About 1.2 MB (Jest) or 2.5 to 4 MB of items: ingest needs a second or more for it.
    const items = context.quick ? 30_000 : 60_000 + random.below(40_000);
    const itemsKey = `incoming/${batchId}/items.csv`;
    let ingestKills = 1 + random.below(2);
    let aggregatorKills = random.chance(0.5) ? 1 : 0;
    // Ingest reads about 100 items a millisecond on a 2-core machine: the kill lands in the first
    // ~40% of the file there, while it is streamed and validated, and still lands on a faster one.
    const killWindowMs = Math.floor(items / 250);
    return {
      batches: [
        { batchId, content: { customers, orders, items, seed: context.seed, errorRate: 0.02 } },
      ],
      uploads: 'together',
      faults: {
        invocationTimeoutMs: (functionKey, event) => {
          const bodies = bodiesOf(event);
          if (
            functionKey === 'ingest' &&
            ingestKills > 0 &&
            bodies.some((body) => body.includes(itemsKey))
          ) {
            ingestKills -= 1;
            return 20 + random.below(killWindowMs);
          }
          if (
            functionKey === 'aggregator' &&
            aggregatorKills > 0 &&
            bodies.some((body) => body.includes(`"${batchId}"`))
          ) {
            aggregatorKills -= 1;
            return 5 + random.below(200);
          }
          return undefined;
        },
      },
      check: ({ functions }) => {
        // Only kills that landed count: a timer may go off after its invocation has finished.
        for (const functionKey of ['ingest', 'aggregator'] as const) {
          for (let kill = 0; kill < functions[functionKey].timeouts; kill += 1)
            context.count(`${functionKey} invocation killed`);
        }
        return [];
      },
    };
  },
};

const duplicateEvents: Scenario = {
  name: 'duplicate-events',
  summary:
    'Every S3 event is delivered 2 or 3 times, each copy after a random delay of up to 500 ms, so copies and files arrive out of order.',
  iterations: { full: 20, quick: 2 },
  stack: { concurrency: 4 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => ({
    batches: [smallBatch(context, `duplicate-events-${context.seed}`)],
    uploads: 'together',
    faults: {
      deliverEvent: async (send) => {
        const copies = 2 + context.random.below(2);
        const delays = Array.from({ length: copies }, () => context.random.below(500));
        for (let copy = 1; copy < copies; copy += 1) context.count('S3 event delivered again');
        await Promise.all(
          delays.map((delay) => new Promise((resolve) => setTimeout(resolve, delay)).then(send)),
        );
      },
    },
  }),
};

const manyBatches: Scenario = {
  name: 'many-batches',
  summary:
    '50 small batches (generated with different seeds) uploaded at once, the files of all of them interleaved in a random order.',
  iterations: { full: 6, quick: 1 },
  stack: { concurrency: 4 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const { random } = context;
    const count = context.quick ? 10 : 50;
    const batches = Array.from({ length: count }, (_, index) => {
      const customers = 5 + random.below(26);
      const orders = customers * (1 + random.below(3));
      return {
        batchId: `many-batches-${context.seed}-${index}`,
        content: {
          customers,
          orders,
          items: orders * (1 + random.below(3)),
          seed: context.seed * 1000 + index,
          errorRate: 0.02,
        },
      };
    });
    return { batches, uploads: 'interleaved' };
  },
};

const BATCH_READY_MODES = ['lost', 'duplicated', 'lost-then-duplicated'] as const;

const batchReadyLostAndDuplicated: Scenario = {
  name: 'batch-ready-lost-and-duplicated',
  summary:
    'The "batch ready" SendMessage fails after the manifest is complete (every SDK attempt of one invocation), or is delivered twice, or both.',
  iterations: { full: 15, quick: 3 },
  alarms: { errors: 'must-fire', dlq: 'silent' },
  plan: (context) => {
    const batchId = `batch-ready-${context.seed}`;
    const mode =
      BATCH_READY_MODES[context.quick ? context.seed % 3 : context.random.below(3)] ?? 'lost';
    let failuresLeft = mode === 'duplicated' ? 0 : SDK_MAX_ATTEMPTS;
    let duplicatesLeft = mode === 'lost' ? 0 : 1;
    const aggregationQueueUrl = context.stack.resources.queues.aggregation.url;
    return {
      batches: [smallBatch(context, batchId)],
      uploads: 'together',
      faults: {
        request: (service, request) => {
          if (service !== 'sqs' || request.operation !== 'SQS.SendMessage') return undefined;
          const call = JSON.parse(request.body.toString('utf8')) as {
            QueueUrl?: string;
            MessageBody?: string;
          };
          if (call.QueueUrl !== aggregationQueueUrl) return undefined;
          if (!call.MessageBody?.includes(`"batch_id":${JSON.stringify(batchId)}`))
            return undefined;
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            context.count('batch_ready SendMessage 500 InternalError');
            return AWS_ERRORS.sqs.internalError();
          }
          if (duplicatesLeft > 0) {
            duplicatesLeft -= 1;
            context.count('batch_ready SendMessage delivered twice');
            return { type: 'duplicate' };
          }
          return undefined;
        },
      },
      check: ({ functions }) => {
        const problems: string[] = [];
        if (mode !== 'duplicated' && functions.ingest.errors === 0)
          problems.push(
            `${mode}: the failed "batch ready" send did not fail the ingest invocation`,
          );
        if (mode !== 'lost' && functions.aggregator.invocations < 2)
          problems.push(
            `${mode}: the aggregator saw ${functions.aggregator.invocations} "batch ready" message(s), expected 2`,
          );
        return problems;
      },
    };
  },
};

/** Bodies that are no S3 event: each must fail every receive and end in the ingest DLQ. */
const POISON_BODIES = [
  'this is not JSON',
  '{"hello":"world"}',
  '[]',
  '{"Records":"not a list"}',
  '{"Records":[{"eventName":"ObjectCreated:Put","s3":{}}]}',
] as const;

const poisonMessage: Scenario = {
  name: 'poison-message',
  summary:
    'Next to a normal batch, 1 to 3 ingest-queue messages that are not S3 events: each must fail 5 receives and end in the ingest DLQ.',
  iterations: { full: 6, quick: 1 },
  stack: { retryDelayMs: 0 },
  alarms: { errors: 'must-fire', dlq: 'must-fire' },
  plan: (context) => {
    const { random } = context;
    const count = 1 + random.below(3);
    const poisonMessages = Array.from({ length: count }, () => random.pick(POISON_BODIES));
    for (let poison = 0; poison < count; poison += 1) context.count('poison message');
    return {
      batches: [smallBatch(context, `poison-message-${context.seed}`)],
      uploads: 'together',
      poisonMessages,
      expectedDlq: { ingest: count },
    };
  },
};

/** Every scenario, in the order the report lists them. */
export const SCENARIOS: readonly Scenario[] = [
  awsFaults,
  killedMidFile,
  duplicateEvents,
  manyBatches,
  batchReadyLostAndDuplicated,
  poisonMessage,
];
