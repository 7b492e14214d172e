import type { SQSEvent } from 'aws-lambda';
import { MESSAGES_PER_GROUP } from '@tally/domain';
import type { BatchReadyMessage } from '@tally/domain';
import type { LocalUploadFile, OutputMessage } from '@tally/local-stack';
import { pipelineSettings } from '@tally/local-stack';
import type { SeededRandom } from '../generate/seededRandom';
import { aggregationRequestOf } from './aggregationRequestOf';
import { AWS_ERRORS } from './awsFaultResponses';
import { createAwsFaultInjector } from './awsFaultInjector';
import type { AwsFaultRates } from './awsFaultInjector';
import type {
  BatchPlan,
  IterationContext,
  IterationFaults,
  IterationRun,
  Scenario,
} from './scenario';
import { outputEntriesOf } from './outputEntriesOf';
import { splitIntoParts } from './splitIntoParts';

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
          if (service !== 'sqs') return undefined;
          if (aggregationRequestOf(request, aggregationQueueUrl)?.batch_id !== batchId)
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

const DAY_MS = 24 * 60 * 60 * 1000;

/** A batch whose aggregation sends many groups of messages: `customers` customers. */
const largeBatch = (
  context: IterationContext,
  batchId: string,
  customers: number,
  itemsPerCustomer = 5,
): BatchPlan => ({
  batchId,
  content: {
    customers,
    orders: customers * 2,
    items: customers * itemsPerCustomer,
    seed: context.seed,
    errorRate: 0.01,
  },
});

const shuffled = <T>(items: readonly T[], random: SeededRandom): T[] => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

/**
 * Watches one batch's aggregations as they send: `fired` resolves when the aggregator has asked
 * SQS to send `n` messages of the batch (entries carrying a `batch_revision`: ingest's messages
 * about uploads do not count), a moment in the middle of an aggregation's sends chosen by the
 * seed, or when the pipeline is idle first (it never hangs an iteration). It also records, for
 * each revision, how many messages of older revisions had been asked for when ingest requested
 * that revision's aggregation (`olderSentBefore`): ingest requests it only after committing the
 * revision, so from then on every older aggregation is superseded.
 */
const aggregationWatch = (context: IterationContext, batchId: string, n: number, name: string) => {
  const outputQueueUrl = context.stack.resources.queues.output.url;
  const aggregationQueueUrl = context.stack.resources.queues.aggregation.url;
  const sentByRevision = new Map<number, number>();
  const olderSentBefore = new Map<number, number>();
  let sent = 0;
  let fire = () => undefined as void;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  const faults: IterationFaults = {
    request: (service, request) => {
      if (service !== 'sqs') return undefined;
      const ready = aggregationRequestOf(request, aggregationQueueUrl);
      if (
        ready?.batch_id === batchId &&
        ready.lease_owner === undefined &&
        !olderSentBefore.has(ready.revision)
      ) {
        const older = [...sentByRevision].filter(([revision]) => revision < ready.revision);
        olderSentBefore.set(
          ready.revision,
          older.reduce((sum, [, count]) => sum + count, 0),
        );
      }
      for (const entry of outputEntriesOf(request, outputQueueUrl) ?? []) {
        if (entry.batchId !== batchId || entry.revision === undefined) continue;
        sentByRevision.set(entry.revision, (sentByRevision.get(entry.revision) ?? 0) + 1);
        sent += 1;
        if (sent === n) {
          context.count(name);
          fire();
        }
      }
      return undefined;
    },
  };
  return {
    faults,
    firedOrIdle: (run: IterationRun) => Promise.race([fired, run.whenIdle()]),
    olderSentBefore: (revision: number) => olderSentBefore.get(revision),
  };
};

/** The messages of `batchId` received from the output queue with a revision below `revision`. */
const receivedBelow = (output: readonly OutputMessage[], batchId: string, revision: number) =>
  output.filter(
    (message) =>
      message.attributes['batch_id'] === batchId &&
      Number(message.attributes['batch_revision'] ?? revision) < revision,
  );

const revert: Scenario = {
  name: 'revert',
  summary:
    "A batch (v1), then a corrected items.csv (v2), then the v1 items.csv again, waiting for the pipeline between uploads or not: the consumer must end with v1's result.",
  iterations: { full: 10, quick: 1 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const batch = smallBatch(context, `revert-${context.seed}`);
    const waits = context.quick || context.random.chance(0.5);
    return {
      batches: [batch],
      uploads: 'together',
      then: async (run, first) => {
        const v1 = first.get(batch.batchId);
        if (v1 === undefined) throw new Error('no first upload');
        const v2 = await run.generate({ ...batch.content, itemsVariant: 1 });
        for (const items of [v2, v1]) {
          if (waits) await run.whenIdle();
          context.count('items.csv uploaded again');
          await run.upload(batch.batchId, [{ name: 'items.csv', path: items.files.items.path }]);
        }
        run.expect(batch.batchId, v1);
      },
    };
  },
};

const overlap: Scenario = {
  name: 'overlap',
  summary:
    "A corrected items.csv lands while the aggregator is sending a large batch's messages, at a seeded moment of its first half: the older aggregation stops within a group of being superseded, and the newer revision is the one aggregated.",
  iterations: { full: 6, quick: 1 },
  timesSummaries: true,
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const customers = context.quick ? 1_500 : 20_000;
    const batch = largeBatch(context, `overlap-${context.seed}`, customers);
    const watch = aggregationWatch(
      context,
      batch.batchId,
      1 + context.random.below(customers / 2),
      'corrected items.csv uploaded mid-send',
    );
    return {
      batches: [batch],
      uploads: 'together',
      faults: watch.faults,
      then: async (run) => {
        const v2 = await run.generate({ ...batch.content, itemsVariant: 1 });
        await watch.firedOrIdle(run);
        await run.upload(batch.batchId, [{ name: 'items.csv', path: v2.files.items.path }]);
        run.expect(batch.batchId, v2);
      },
      check: ({ output, states }) => {
        const problems: string[] = [];
        const state = states.get(batch.batchId);
        // Two combinations of files were committed: the first upload's, then the corrected one.
        const latest = state?.revision?.number ?? 0;
        if (latest !== 2) problems.push(`the batch's latest revision is ${latest}, expected 2`);
        if (state?.aggregated?.revision !== latest || state.aggregated.outcome !== 'sent')
          problems.push(
            `revision ${state?.aggregated?.revision ?? 'none'} was aggregated (${state?.aggregated?.outcome ?? 'no outcome'}); the latest is ${latest}`,
          );
        const older = receivedBelow(output, batch.batchId, latest);
        if (!older.some((message) => message.attributes['message_type'] === 'batch_summary'))
          context.count('older aggregation superseded before its summary');
        // By the time ingest requested the latest revision, it had committed it: the older
        // aggregation then finishes the group in flight (or sends its lone batch_summary), finds
        // itself superseded when it records that, and stops. The design allows one group after
        // the request; the bound allows a second as margin, since calls are counted as the meter
        // receives them and a call the SDK sends again would be received twice.
        const sentBefore = watch.olderSentBefore(latest);
        if (sentBefore === undefined)
          problems.push(`no request to aggregate revision ${latest} was seen`);
        else if (older.length > sentBefore + 2 * MESSAGES_PER_GROUP)
          problems.push(
            `${older.length} messages of older revisions received; ${sentBefore} had been sent when revision ${latest} was requested, so at most ${sentBefore + 2 * MESSAGES_PER_GROUP} may be`,
          );
        return problems;
      },
    };
  },
};

const parts: Scenario = {
  name: 'parts',
  summary:
    'A batch whose items come in four parts listed, with row counts and SHA-256, in _manifest.json; the manifest and the files are uploaded at once in a seeded order, then one part is uploaded again.',
  iterations: { full: 10, quick: 1 },
  stack: { concurrency: 4 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const batch = smallBatch(context, `parts-${context.seed}`);
    return {
      batches: [],
      uploads: 'together',
      then: async (run) => {
        const expected = await run.generate(batch.content);
        const itemParts = await splitIntoParts(expected.files.items.path, 4);
        const manifest = {
          files: [
            { name: 'customers.csv' },
            { name: 'orders.csv' },
            ...itemParts.map((part) => ({ name: part.name, rows: part.rows, sha256: part.sha256 })),
          ],
        };
        const files: LocalUploadFile[] = [
          { name: '_manifest.json', body: JSON.stringify(manifest) },
          { name: 'customers.csv', path: expected.files.customers.path },
          { name: 'orders.csv', path: expected.files.orders.path },
          ...itemParts.map((part) => ({ name: part.name, path: part.path })),
        ];
        await Promise.all(
          shuffled(files, context.random).map((file) => run.upload(batch.batchId, [file])),
        );
        await run.whenIdle();
        const again = context.random.pick(itemParts);
        context.count('a part uploaded again');
        await run.upload(batch.batchId, [{ name: again.name, path: again.path }]);
        run.expect(batch.batchId, expected);
      },
    };
  },
};

const secondFileOfKind: Scenario = {
  name: 'second-file-of-kind',
  summary:
    'After a batch without a manifest is aggregated, another items file (items-extra.csv) is uploaded: it is rejected with SECOND_FILE_OF_KIND and changes no total.',
  iterations: { full: 6, quick: 1 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const batch = smallBatch(context, `second-file-${context.seed}`);
    return {
      batches: [batch],
      uploads: 'together',
      then: async (run, first) => {
        const original = first.get(batch.batchId);
        if (original === undefined) throw new Error('no first upload');
        await run.whenIdle();
        const other = await run.generate({ ...batch.content, itemsVariant: 1 });
        context.count('a second items file uploaded');
        await run.upload(batch.batchId, [
          { name: 'items-extra.csv', path: other.files.items.path },
        ]);
        run.expect(batch.batchId, original, { SECOND_FILE_OF_KIND: 1 });
      },
    };
  },
};

/** Far enough for every staged row of the iteration to have expired. */
const PAST_THE_STAGING_TTL_MS = (pipelineSettings.table.ttlDays + 1) * DAY_MS;

const expiry: Scenario = {
  name: 'expiry',
  summary:
    "After a batch is aggregated, a corrected items.csv arrives with the functions' clock past the staging TTL, either before ingest reads it (ingest names the expired files) or just as ingest requests the new revision (the aggregator finds the rows expired and names them, about that revision): STAGED_FILES_EXPIRED, nothing in a DLQ, and once the files are uploaded again the newest ones win.",
  iterations: { full: 6, quick: 2 },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const batch = smallBatch(context, `expiry-${context.seed}`);
    // Odd seeds: the clock moves before the upload; even seeds: as ingest requests the revision.
    const atAggregation = context.seed % 2 === 0;
    const aggregationQueueUrl = context.stack.resources.queues.aggregation.url;
    let onBatchReady: (() => void) | undefined;
    return {
      batches: [batch],
      uploads: 'together',
      faults: {
        request: (service, request) => {
          if (service !== 'sqs' || onBatchReady === undefined) return undefined;
          if (aggregationRequestOf(request, aggregationQueueUrl)?.batch_id !== batch.batchId)
            return undefined;
          // The request is on its way: its aggregator invocation starts on the moved clock.
          onBatchReady();
          onBatchReady = undefined;
          return undefined;
        },
      },
      then: async (run) => {
        await run.whenIdle();
        const v2 = await run.generate({ ...batch.content, itemsVariant: 1 });
        const items = { name: 'items.csv', path: v2.files.items.path };
        if (atAggregation) {
          onBatchReady = () => {
            context.count('clock moved past the staging TTL as ingest requested the revision');
            run.moveClock(PAST_THE_STAGING_TTL_MS);
          };
          await run.upload(batch.batchId, [items]);
          await run.whenIdle();
          // Every file of the revision expired, the corrected items.csv too: all three again.
          await run.upload(batch.batchId, [
            { name: 'customers.csv', path: v2.files.customers.path },
            { name: 'orders.csv', path: v2.files.orders.path },
            items,
          ]);
        } else {
          context.count('clock moved past the staging TTL before the upload');
          run.moveClock(PAST_THE_STAGING_TTL_MS);
          await run.upload(batch.batchId, [items]);
          await run.whenIdle();
          await run.upload(batch.batchId, [
            { name: 'customers.csv', path: v2.files.customers.path },
            { name: 'orders.csv', path: v2.files.orders.path },
          ]);
        }
        run.expect(batch.batchId, v2, { STAGED_FILES_EXPIRED: 1 });
      },
      check: ({ output }) =>
        atAggregation &&
        !output.some(
          (message) =>
            message.attributes['batch_id'] === batch.batchId &&
            message.attributes['batch_revision'] !== undefined &&
            message.body.includes('"code":"STAGED_FILES_EXPIRED"'),
        )
          ? ['the aggregator reported no expired files about the revision it was asked for']
          : [],
    };
  },
};

const orphanFlood: Scenario = {
  name: 'orphan-flood',
  summary:
    'While a 1,000,000-item batch is aggregated, a corrected orders.csv without half of its orders lands: half the items become orphans, reported capped per file (TALLY_MAX_ROW_ERRORS, then one summary).',
  iterations: { full: 2, quick: 1 },
  timesSummaries: true,
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const customers = context.quick ? 2_000 : 50_000;
    const batch: BatchPlan = {
      batchId: `orphan-flood-${context.seed}`,
      content: {
        customers,
        orders: customers * 5,
        items: customers * 20,
        seed: context.seed,
        errorRate: 0,
      },
    };
    const watch = aggregationWatch(
      context,
      batch.batchId,
      1 + context.random.below(customers / 2),
      'orders.csv without half its orders uploaded mid-send',
    );
    return {
      batches: [batch],
      uploads: 'together',
      faults: watch.faults,
      then: async (run) => {
        const corrected = await run.generate({ ...batch.content, dropOrderShare: 0.5 });
        await watch.firedOrIdle(run);
        await run.upload(batch.batchId, [
          { name: 'orders.csv', path: corrected.files.orders.path },
        ]);
        run.expect(batch.batchId, corrected);
      },
    };
  },
};

/** What the harness saw of one aggregator invocation of a batch. */
interface WatchedInvocation {
  readonly revision: number;
  /** When the host was asked to invoke it (epoch ms): a cold start's init comes after. */
  readonly startedAt: number;
  /**
   * Its first DynamoDB request (the claim), epoch ms: when its handler began, which is also
   * when the host's kill timer began counting.
   */
  handlerStartedAt?: number;
  readonly killAfterMs?: number;
  /** Messages of the batch it asked SQS to send, and when it asked first and last. */
  sent: number;
  firstSendAt?: number;
  lastSendAt?: number;
}

/** How long an undisturbed aggregation of the batch took to join, and to send each message. */
interface SendTiming {
  readonly joinMs: number;
  readonly msPerMessage: number;
  readonly messages: number;
}

/** Kills per iteration at most: with the first delivery, 4 receives of the 5 before the DLQ. */
const MAX_AGGREGATOR_KILLS = 3;

const aggregatorKilledMidSend: Scenario = {
  name: 'aggregator-killed-mid-send',
  summary:
    "A large batch is aggregated once undisturbed, which times its join and sends on this machine; then its items.csv is uploaded again, and the new revision's aggregator invocation is killed part-way through its sends (aimed from that timing), once or twice: the retry resumes from the recorded progress, so no message is sent twice beyond the group in flight.",
  iterations: { full: 8, quick: 1 },
  alarms: { errors: 'must-fire', dlq: 'silent' },
  plan: (context) => {
    const { random } = context;
    const customers = context.quick ? 3_000 : 10_000;
    const batch = largeBatch(context, `aggregator-killed-${context.seed}`, customers);
    const outputQueueUrl = context.stack.resources.queues.output.url;
    const killsWanted = 1 + random.below(2);
    const invocations: WatchedInvocation[] = [];
    let timing: SendTiming | undefined;
    const killed = () =>
      invocations.filter(
        (invocation, index) =>
          invocation.killAfterMs !== undefined && index < invocations.length - 1,
      );

    /** When to kill the revision's next invocation: part-way through what it has left to send. */
    const killAfterMs = (revision: number): number | undefined => {
      if (timing === undefined || revision === 1) return undefined;
      const earlier = invocations.filter((invocation) => invocation.revision === revision);
      const kills = earlier.filter((invocation) => invocation.killAfterMs !== undefined);
      const midSend = kills.filter((invocation) => invocation.sent > 0);
      if (midSend.length >= killsWanted || kills.length >= MAX_AGGREGATOR_KILLS) return undefined;
      // A retry resumes after the last group recorded: about the whole groups sent so far.
      const resumesFrom = earlier.reduce(
        (from, invocation) =>
          from + Math.floor(invocation.sent / MESSAGES_PER_GROUP) * MESSAGES_PER_GROUP,
        0,
      );
      const left = Math.max(1, timing.messages - resumesFrom);
      // 30% to 70% of the way through what is left: after its join, before its last send.
      const messages = Math.floor((left * (3 + random.below(5))) / 10);
      return Math.round(timing.joinMs + messages * timing.msPerMessage);
    };

    return {
      batches: [batch],
      uploads: 'together',
      faults: {
        invocationTimeoutMs: (functionKey, event) => {
          if (functionKey !== 'aggregator') return undefined;
          const ready = bodiesOf(event)
            .map((body) => JSON.parse(body) as BatchReadyMessage)
            .find((message) => message.batch_id === batch.batchId);
          if (ready === undefined) return undefined;
          const ms = killAfterMs(ready.revision);
          invocations.push({
            revision: ready.revision,
            startedAt: Date.now(),
            sent: 0,
            ...(ms !== undefined && { killAfterMs: ms }),
          });
          return ms;
        },
        request: (service, request) => {
          const current = invocations[invocations.length - 1];
          // Ingest is idle by now: the batch's files are in, and it requested the revision.
          if (service === 'dynamodb' && current !== undefined)
            current.handlerStartedAt ??= Date.now();
          if (service !== 'sqs') return undefined;
          const entries = (outputEntriesOf(request, outputQueueUrl) ?? []).filter(
            (entry) => entry.batchId === batch.batchId && entry.revision === current?.revision,
          );
          if (current !== undefined && entries.length > 0) {
            const now = Date.now();
            current.firstSendAt ??= now;
            current.lastSendAt = now;
            current.sent += entries.length;
          }
          return undefined;
        },
      },
      then: async (run, first) => {
        const original = first.get(batch.batchId);
        if (original === undefined) throw new Error('no first upload');
        await run.whenIdle();
        const undisturbed = invocations.find(
          (invocation) => invocation.revision === 1 && invocation.firstSendAt !== undefined,
        );
        if (
          undisturbed?.handlerStartedAt === undefined ||
          undisturbed.firstSendAt === undefined ||
          undisturbed.lastSendAt === undefined
        )
          return;
        timing = {
          joinMs: undisturbed.firstSendAt - undisturbed.handlerStartedAt,
          msPerMessage:
            (undisturbed.lastSendAt - undisturbed.firstSendAt) / Math.max(1, undisturbed.sent - 1),
          messages: undisturbed.sent,
        };
        // The same rows again, as a new revision: its aggregation is the one killed.
        await run.upload(batch.batchId, [{ name: 'items.csv', path: original.files.items.path }]);
      },
      check: ({ functions, duplicateIds }) => {
        const problems: string[] = [];
        if (timing === undefined)
          problems.push('the first revision sent nothing: no timing to aim the kills with');
        // A killed invocation is followed by its retry; one that sent first was killed mid-send.
        const kills = killed();
        for (const kill of kills)
          context.count(
            kill.sent > 0
              ? 'aggregator invocation killed mid-send'
              : 'aggregator invocation killed before its first send',
          );
        if (kills.length !== functions.aggregator.timeouts)
          problems.push(
            `${kills.length} kill(s) inferred from retries, but ${functions.aggregator.timeouts} aggregator timeout(s) counted`,
          );
        if (!kills.some((kill) => kill.sent > 0))
          problems.push('no kill landed after the killed invocation had sent messages');
        const allowed = functions.aggregator.timeouts * MESSAGES_PER_GROUP;
        if (duplicateIds > allowed)
          problems.push(
            `${duplicateIds} messages sent twice after ${functions.aggregator.timeouts} kill(s); at most ${allowed} (one group per kill) may be`,
          );
        return problems;
      },
    };
  },
};

const shortTimeouts: Scenario = {
  name: 'short-timeouts',
  summary:
    'The aggregator may run only 8 s and every send to the output queue is 80 ms late, too slow to send a large batch in one invocation: it records its progress and hands the rest to continuation requests, and no message is sent twice.',
  iterations: { full: 4, quick: 1 },
  stack: {
    // The timeout leaves room for the join and one group of sends even on a busy machine: an
    // invocation that cannot send one group before it times out makes no progress, and its
    // request ends in the DLQ (docs/reliability.md, "Continuations").
    settings: (settings) => ({
      ...settings,
      functions: {
        ...settings.functions,
        aggregator: { ...settings.functions.aggregator, timeoutSeconds: 8 },
      },
    }),
  },
  alarms: { errors: 'may-fire', dlq: 'silent' },
  plan: (context) => {
    const customers = context.quick ? 8_000 : 30_000;
    const batch = largeBatch(context, `short-timeouts-${context.seed}`, customers, 3);
    const aggregationQueueUrl = context.stack.resources.queues.aggregation.url;
    const outputQueueUrl = context.stack.resources.queues.output.url;
    let continuations = 0;
    return {
      batches: [batch],
      uploads: 'together',
      faults: {
        request: (service, request) => {
          if (service !== 'sqs') return undefined;
          // Slow output sends make each group of 1,000 messages take about a second.
          if (outputEntriesOf(request, outputQueueUrl) !== undefined)
            return { type: 'delay', ms: 80 };
          if (aggregationRequestOf(request, aggregationQueueUrl)?.lease_owner !== undefined) {
            continuations += 1;
            context.count('continuation requested');
          }
          return undefined;
        },
      },
      check: ({ duplicateIds, functions }) => [
        ...(continuations === 0 ? ['the aggregator never handed its work to a continuation'] : []),
        ...(duplicateIds > functions.aggregator.timeouts * MESSAGES_PER_GROUP
          ? [`${duplicateIds} messages sent twice`]
          : []),
      ],
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
  revert,
  overlap,
  parts,
  secondFileOfKind,
  expiry,
  orphanFlood,
  aggregatorKilledMidSend,
  shortTimeouts,
];
