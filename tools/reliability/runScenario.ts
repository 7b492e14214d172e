import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStagingStore } from '@tally/aws-clients';
import type { BatchState, ErrorCode } from '@tally/domain';
import type {
  EmulatorEndpoints,
  FunctionMetrics,
  FunctionKey,
  ObservedOperation,
  QueueKey,
} from '@tally/local-stack';
import { startLocalStack, FUNCTION_KEYS, pipelineSettings, QUEUE_KEYS } from '@tally/local-stack';
import { generateBatch } from '../generate/generateBatch';
import type { ExpectedBatch, GenerateBatchOptions } from '../generate/generateBatch';
import { createSeededRandom } from '../generate/seededRandom';
import type { SeededRandom } from '../generate/seededRandom';
import { checkConsumedBatch } from './checkConsumedBatch';
import { ResultConsumer } from './ResultConsumer';
import type { IterationFaults, IterationPlan, IterationRun, Scenario } from './scenario';

/** One iteration that went wrong, with the seed that replays it. */
export interface IterationFailure {
  readonly seed: number;
  readonly problems: readonly string[];
}

/** The figures of one scenario's run: the report's row. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly iterations: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Readonly<Record<string, number>>;
  readonly batches: number;
  readonly batchesCorrect: number;
  readonly rowsLost: number;
  readonly duplicateIds: number;
  readonly unexpectedMessages: number;
  /** Alarm inputs: failed invocations (Lambda Errors), of which timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  /** Failed invocations by function and error type, e.g. `ingest FullBatchFailureError`. */
  readonly errorsByType: Readonly<Record<string, number>>;
  /** Alarm input: messages that reached a DLQ, by queue. */
  readonly dlqMessages: Readonly<Record<QueueKey, number>>;
  /** Alarm input: the oldest ingest-queue message seen at receipt, ms. */
  readonly maxIngestMessageAgeMs: number;
  readonly maxReceiveCount: number;
  /**
   * For scenarios that time it: the longest time from a batch's last upload to the moment SQS
   * accepted the `batch_summary` of its latest revision, ms.
   */
  readonly maxUploadToSummaryMs?: number;
  /** Every distinct AWS call each function made: what its IAM role must allow (infra/iam). */
  readonly awsOperations: readonly ObservedOperation[];
  readonly wallMs: number;
  readonly failures: readonly IterationFailure[];
  readonly passed: boolean;
}

export interface RunScenarioOptions {
  readonly scenario: Scenario;
  readonly seeds: readonly number[];
  readonly quick: boolean;
  /** Running emulators (the Jest run's); left out, the stack starts its own. */
  readonly emulators?: EmulatorEndpoints;
  /** A unique resource-name prefix, when emulators are shared. */
  readonly stackName?: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** Show the functions' own logs (default: dropped). */
  readonly functionLogs?: boolean;
  /** An iteration not idle after this long fails, and the scenario stops. Default 120 s. */
  readonly idleTimeoutMs?: number;
}

const emptyCounts = (): Record<QueueKey, number> =>
  Object.fromEntries(QUEUE_KEYS.map((key) => [key, 0])) as Record<QueueKey, number>;

const shuffled = <T>(items: readonly T[], random: SeededRandom): T[] => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

const difference = (
  after: Record<FunctionKey, FunctionMetrics>,
  before: Record<FunctionKey, FunctionMetrics>,
): Record<FunctionKey, FunctionMetrics> =>
  Object.fromEntries(
    FUNCTION_KEYS.map((key) => [
      key,
      {
        invocations: after[key].invocations - before[key].invocations,
        errors: after[key].errors - before[key].errors,
        timeouts: after[key].timeouts - before[key].timeouts,
        errorTypes: Object.fromEntries(
          Object.entries(after[key].errorTypes)
            .map(([type, count]) => [type, count - (before[key].errorTypes[type] ?? 0)])
            .filter(([, count]) => Number(count) > 0),
        ),
        maxMessageAgeMs: after[key].maxMessageAgeMs,
        maxReceiveCount: after[key].maxReceiveCount,
      },
    ]),
  ) as Record<FunctionKey, FunctionMetrics>;

const requestDifference = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after).map(([operation, count]) => [
      operation,
      count - (before[operation] ?? 0),
    ]),
  );

/**
 * Runs one scenario: starts a stack whose fault hooks follow the current iteration's plan, then
 * for each seed generates the plan's batches, uploads them, waits until the pipeline is idle and
 * checks every batch's output, the DLQs and the scenario's own expectations. Iterations run one
 * after the other, so each one's faults and figures are its own.
 *
 * @example
 * const result = await runScenario({ scenario, seeds: [1, 2, 3], quick: true, log: console.error });
 * result.passed; // false names the seeds that failed in result.failures
 */
export const runScenario = async (options: RunScenarioOptions): Promise<ScenarioResult> => {
  const { scenario, log } = options;
  const started = performance.now();
  let current: IterationFaults | undefined;
  let clockOffsetMs = 0;
  const settings = scenario.stack?.settings?.(pipelineSettings) ?? pipelineSettings;
  const stack = await startLocalStack({
    settings,
    clockOffsetMs: () => clockOffsetMs,
    ...(options.stackName !== undefined && { name: options.stackName }),
    ...(options.emulators && { emulators: options.emulators }),
    build: false,
    quiet: !options.functionLogs,
    ...(!options.functionLogs && { log: () => undefined }),
    retryDelayMs: scenario.stack?.retryDelayMs ?? 1000,
    concurrency: scenario.stack?.concurrency ?? 2,
    faults: {
      requests: {
        s3: (request) => current?.request?.('s3', request),
        sqs: (request) => current?.request?.('sqs', request),
        dynamodb: (request) => current?.request?.('dynamodb', request),
      },
      invocationTimeoutMs: {
        ingest: (event) => current?.invocationTimeoutMs?.('ingest', event),
        aggregator: (event) => current?.invocationTimeoutMs?.('aggregator', event),
      },
      deliverEvent: (send) => (current?.deliverEvent ? current.deliverEvent(send) : send()),
    },
  });
  const workDir = await mkdtemp(join(tmpdir(), `tally-reliability-${scenario.name}-`));
  const faultsByKind: Record<string, number> = {};
  const dlqMessages = emptyCounts();
  const failures: IterationFailure[] = [];
  let batches = 0;
  let batchesCorrect = 0;
  let rowsLost = 0;
  let duplicateIds = 0;
  let unexpectedMessages = 0;
  let iterations = 0;
  let maxUploadToSummaryMs = 0;
  let generated = 0;
  // Reads each batch's latest revision as the functions would, on their (possibly moved) clock.
  const store = new DynamoStagingStore({
    client: DynamoDBDocumentClient.from(stack.clients.dynamodb),
    tableName: stack.resources.table.name,
    now: () => Date.now() + clockOffsetMs,
  });
  try {
    for (const seed of options.seeds) {
      const problems: string[] = [];
      const iterationFaults: Record<string, number> = {};
      const plan: IterationPlan = scenario.plan({
        seed,
        random: createSeededRandom(seed),
        stack,
        quick: options.quick,
        count: (name) => {
          iterationFaults[name] = (iterationFaults[name] ?? 0) + 1;
        },
      });
      clockOffsetMs = 0;
      const generate = async (content: Omit<GenerateBatchOptions, 'outDir'>) => {
        const outDir = join(workDir, String(seed), String((generated += 1)));
        await mkdir(outDir, { recursive: true });
        return generateBatch({ outDir, ...content });
      };
      const first = new Map<string, ExpectedBatch>();
      const files: { batchId: string; name: string; path: string }[] = [];
      for (const batch of plan.batches) {
        const batchExpected = await generate(batch.content);
        first.set(batch.batchId, batchExpected);
        for (const file of Object.values(batchExpected.files))
          files.push({ batchId: batch.batchId, name: file.name, path: file.path });
      }
      const expected = new Map<
        string,
        { result: ExpectedBatch; lifecycleProblems: Partial<Record<ErrorCode, number>> }
      >([...first].map(([batchId, result]) => [batchId, { result, lifecycleProblems: {} }]));
      const lastUploadAt = new Map<string, number>();
      const upload: IterationRun['upload'] = async (batchId, batchFiles) => {
        await stack.upload(batchId, [...batchFiles]);
        lastUploadAt.set(batchId, Date.now());
      };
      const run: IterationRun = {
        generate,
        upload,
        whenIdle: () => stack.whenIdle({ timeoutMs: options.idleTimeoutMs ?? 120_000 }),
        expect: (batchId, result, lifecycleProblems = {}) =>
          expected.set(batchId, { result, lifecycleProblems }),
        moveClock: (ms) => {
          clockOffsetMs += ms;
        },
      };

      const metricsBefore = stack.functionMetrics();
      const requestsBefore = stack.usage().requests;
      const dlqBefore = await stack.dlqMessageCounts();
      current = plan.faults;
      try {
        await Promise.all([
          ...(plan.uploads === 'interleaved'
            ? shuffled(files, createSeededRandom(seed ^ 0x5bd1e995)).map((file) =>
                upload(file.batchId, [{ name: file.name, path: file.path }]),
              )
            : plan.batches.map((batch) =>
                upload(
                  batch.batchId,
                  files.filter((file) => file.batchId === batch.batchId),
                ),
              )),
          ...(plan.poisonMessages ?? []).map((body) =>
            stack.clients.sqs.send(
              new SendMessageCommand({
                QueueUrl: stack.resources.queues.ingest.url,
                MessageBody: body,
              }),
            ),
          ),
        ]);
        await plan.then?.(run, first);
        await run.whenIdle();
      } catch (error) {
        problems.push(
          `did not complete: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        current = undefined;
      }

      // A consumer following the README's rule, fed the messages in the order received.
      const consumer = new ResultConsumer();
      const output = await stack.readOutputMessagesWithAttributes();
      for (const message of output) consumer.receive(message);
      const states = new Map<string, BatchState | undefined>();
      for (const batchId of expected.keys())
        states.set(batchId, (await store.readBatchState(batchId))?.state);
      const observed = {
        functions: difference(stack.functionMetrics(), metricsBefore),
        faults: iterationFaults,
        requests: requestDifference(stack.usage().requests, requestsBefore),
        duplicateIds: consumer.duplicates,
        output,
        states,
      };
      problems.push(...(plan.check?.(observed) ?? []));
      for (const [name, count] of Object.entries(iterationFaults))
        faultsByKind[name] = (faultsByKind[name] ?? 0) + count;

      const dlqAfter = await stack.dlqMessageCounts();
      for (const key of QUEUE_KEYS) {
        const arrived = dlqAfter[key] - dlqBefore[key];
        dlqMessages[key] += arrived;
        const intended = plan.expectedDlq?.[key] ?? 0;
        if (arrived !== intended)
          problems.push(`${arrived} message(s) reached the ${key} DLQ, expected ${intended}`);
      }

      duplicateIds += consumer.duplicates;
      unexpectedMessages += consumer.anomalies.length;
      problems.push(...consumer.anomalies.slice(0, 5));
      for (const [batchId, { result, lifecycleProblems }] of expected) {
        const check = checkConsumedBatch(result, consumer, batchId, {
          latestRevision: states.get(batchId)?.revision?.number,
          maxRowErrors: settings.limits.maxRowErrors,
          lifecycleProblems,
        });
        batches += 1;
        if (check.correct) batchesCorrect += 1;
        rowsLost += check.rowsLost;
        unexpectedMessages += check.unexpected;
        problems.push(...check.problems.map((problem) => `batch ${batchId}: ${problem}`));
        const summarySentAt = consumer.batch(batchId).summarySentAt;
        const uploadedAt = lastUploadAt.get(batchId);
        if (scenario.timesSummaries && summarySentAt !== undefined && uploadedAt !== undefined)
          maxUploadToSummaryMs = Math.max(maxUploadToSummaryMs, summarySentAt - uploadedAt);
      }
      for (const batchId of consumer.batchIds()) {
        if (expected.has(batchId)) continue;
        unexpectedMessages += 1;
        problems.push(`messages of batch "${batchId}", which no iteration sent`);
      }

      iterations += 1;
      const faultCount = Object.values(iterationFaults).reduce((sum, count) => sum + count, 0);
      const errors = observed.functions.ingest.errors + observed.functions.aggregator.errors;
      log(
        `${scenario.name} seed ${seed}: ${problems.length === 0 ? 'ok' : 'FAILED'} (${faultCount} faults, ${errors} failed invocations)`,
      );
      if (problems.length > 0) {
        failures.push({ seed, problems });
        for (const problem of problems.slice(0, 12)) log(`  ${problem}`);
        log(`  replay: npm run reliability -- --scenario ${scenario.name} --seed ${seed}`);
        if (problems.some((problem) => problem.startsWith('did not complete'))) break;
      }
    }
  } finally {
    await stack.stop();
    await rm(workDir, { recursive: true, force: true });
  }

  const metrics = stack.functionMetrics();
  const errors = metrics.ingest.errors + metrics.aggregator.errors;
  const dlqTotal = QUEUE_KEYS.reduce((sum, key) => sum + dlqMessages[key], 0);
  const alarmProblems: string[] = [];
  if (scenario.alarms.errors === 'must-fire' && errors === 0)
    alarmProblems.push('no invocation failed: the Errors alarm would not fire');
  if (scenario.alarms.dlq === 'must-fire' && dlqTotal === 0)
    alarmProblems.push('no message reached a DLQ: the DLQ alarm would not fire');
  if (alarmProblems.length > 0) {
    failures.push({ seed: options.seeds[0] ?? 0, problems: alarmProblems });
    for (const problem of alarmProblems) log(`${scenario.name}: ${problem}`);
  }
  return {
    scenario: scenario.name,
    seeds: options.seeds,
    iterations,
    faultsInjected: Object.values(faultsByKind).reduce((sum, count) => sum + count, 0),
    faultsByKind,
    batches,
    batchesCorrect,
    rowsLost,
    duplicateIds,
    unexpectedMessages,
    errors,
    timeouts: metrics.ingest.timeouts + metrics.aggregator.timeouts,
    errorsByType: Object.fromEntries(
      FUNCTION_KEYS.flatMap((key) =>
        Object.entries(metrics[key].errorTypes).map(([type, count]) => [`${key} ${type}`, count]),
      ),
    ),
    dlqMessages,
    maxIngestMessageAgeMs: metrics.ingest.maxMessageAgeMs,
    maxReceiveCount: Math.max(metrics.ingest.maxReceiveCount, metrics.aggregator.maxReceiveCount),
    ...(scenario.timesSummaries && { maxUploadToSummaryMs }),
    awsOperations: stack.awsOperations(),
    wallMs: Math.round(performance.now() - started),
    failures,
    passed: failures.length === 0 && iterations === options.seeds.length,
  };
};
