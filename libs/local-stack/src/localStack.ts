import { createLocalResources } from './createResources';
import type { LocalResources } from './createResources';
import { drainQueue } from './drainQueue';
import type { OutputMessage } from './drainQueue';
import type { EmulatorEndpoints } from './emulators.mjs' with {
  'resolution-mode': 'import',
};
import type { ConcurrencySetting } from './functionConcurrency';
import type { FunctionMetrics } from './functionMetrics';
import type { ObservedInvocation } from './observingInvocations';
import { startLambdaFunctions } from './lambdaFunctions';
import { ensureLambdaBundles } from './lambdaBundles';
import { createLocalAwsClients, destroyLocalAwsClients } from './localAwsClients';
import type { LocalAwsClients } from './localAwsClients';
import { startMeteredEndpoints } from './meteredEndpoints';
import type { ObservedOperation } from './meteredEndpoints';
import type { AwsRequestMeterOptions, AwsUsage } from './awsRequestMeter';
import { FUNCTION_KEYS, pipelineSettings, QUEUE_KEYS } from './pipelineSettings';
import type { FunctionKey, PipelineSettings, QueueKey } from './pipelineSettings';
import { queueMessageCount } from './queueMessageCount';
import { resourceRoleOf } from './resourceRoleOf';
import { RunningParts } from './RunningParts';
import { startS3NotificationProxy } from './s3NotificationProxy';
import type { S3NotificationProxyOptions, S3QueueNotification } from './s3NotificationProxy';
import { uploadBatchFiles } from './uploadBatchFiles';
import type { LocalUploadFile } from './uploadBatchFiles';
import { waitUntilSettled } from './waitUntilSettled';
import type { SettleOptions } from './waitUntilSettled';

/** Default `<name>` of the local stack's resources. */
export const LOCAL_STACK_NAME = 'tally-local';

/** The notification's configuration id, as Terraform names it. */
export const INGEST_NOTIFICATION_ID = 'csv-uploads';

/** The batch manifests' notification id, as Terraform names it. */
export const MANIFEST_NOTIFICATION_ID = 'batch-manifests';

export interface LocalStackOptions {
  /** `<name>` of every resource. Default `tally-local`; tests pass a unique one. */
  name?: string;
  /** Running emulators to use; left out, the stack starts its own and stops them on stop(). */
  emulators?: EmulatorEndpoints;
  /** See ensureLambdaBundles: true always builds, false never, left out builds if missing. */
  build?: boolean;
  /** How soon a failed message is received again (AWS waits the visibility timeout). Default 1000. */
  retryDelayMs?: number;
  /** Bundle per function instead of `dist/<function>/index.js` (tests pass their own handlers). */
  bundles?: Partial<Record<FunctionKey, string>>;
  /** Extra environment variables per function (tests configure their handlers with them). */
  environment?: Partial<Record<FunctionKey, Record<string, string>>>;
  /**
   * Invocations run at once, each in its own process: one number for every function or one per
   * function. Default: as many as the machine's cores, up to the mapping's maximumConcurrency
   * (`functionConcurrency`).
   */
  concurrency?: ConcurrencySetting;
  settings?: PipelineSettings;
  /** Where START/END/REPORT lines and poller errors go. Default: stderr. */
  log?: (line: string) => void;
  /** Drop what the functions print (their logs and metrics). Default false: to stderr. */
  quiet?: boolean;
  /** Fault injection for reliability tests (tools/reliability). Default: none. */
  faults?: LocalStackFaults;
  /**
   * How far the functions' clock runs ahead of the real one, read at each invocation:
   * reliability tests move it past the staging TTL. Default 0.
   */
  clockOffsetMs?: () => number;
  /** Told about every invocation once it ends: its function, event, outcome and duration. */
  onInvocation?: (invocation: ObservedInvocation) => void;
}

/** The hooks `npm run reliability` uses to make the stack misbehave; each is optional. */
export interface LocalStackFaults {
  /** Per service, the fault hook of the request meter the functions reach it through. */
  requests?: Partial<Record<keyof EmulatorEndpoints, AwsRequestMeterOptions['faults']>>;
  /** Per function, a shorter timeout for chosen invocations: kills them part-way through. */
  invocationTimeoutMs?: Partial<Record<FunctionKey, (event: unknown) => number | undefined>>;
  /** How each S3 event is delivered to the ingest queue (again, late, out of order). */
  deliverEvent?: S3NotificationProxyOptions['deliverEvent'];
}

export interface LocalStack {
  /** S3 is the notification proxy: use these endpoints, not the emulators' own. */
  endpoints: EmulatorEndpoints;
  resources: LocalResources;
  /** Clients on `endpoints` (S3 path-style, SQS with an explicit endpoint). */
  clients: LocalAwsClients;
  /**
   * Uploads the files at the same time as `<inputPrefix><batchId>/<name>`; returns the keys.
   * `onProgress` gets the bytes sent so far, all files together, as parts complete.
   */
  upload(
    batchId: string,
    files: LocalUploadFile[],
    onProgress?: (bytesSent: number) => void,
  ): Promise<string[]>;
  /** Drains the output queue: receives until empty, deletes, returns bodies in arrival order. */
  readOutputMessages(): Promise<string[]>;
  /** Like readOutputMessages, with each message's attributes (`message_id`, `batch_id`, ...). */
  readOutputMessagesWithAttributes(): Promise<OutputMessage[]>;
  /** Messages in each DLQ (visible or in flight). */
  dlqMessageCounts(): Promise<Record<QueueKey, number>>;
  /** What the functions have asked of S3, SQS and DynamoDB so far (requests, capacity units). */
  usage(): AwsUsage;
  /** The same, per function. */
  functionUsage(): Record<FunctionKey, AwsUsage>;
  /**
   * Every distinct AWS call each function has made so far, its resource named by its role
   * (`queue:output`, `table:staging`, `bucket:input/incoming/*`): what its IAM role must allow.
   */
  awsOperations(): ObservedOperation[];
  /** Each function's invocation and error counts and its source queue's message ages so far. */
  functionMetrics(): Record<FunctionKey, FunctionMetrics>;
  /** Resolves when every function's queue is empty and no invocation runs, twice in a row. */
  whenIdle(options?: SettleOptions): Promise<void>;
  stop(): Promise<void>;
}

/** The emulators to run on: the given ones (left running on stop), or the stack's own. */
const emulatorsFor = async (
  given: EmulatorEndpoints | undefined,
): Promise<{ endpoints: EmulatorEndpoints; stop(): Promise<void> }> => {
  if (given) return { endpoints: given, stop: async () => undefined };
  // A dynamic import: fauxqs is ESM-only and this file compiles to CommonJS.
  const { startEmulators } = await import('./emulators.mjs');
  return startEmulators();
};

/** SDK clients on `endpoints`, as a part that closes their sockets when stopped. */
const clientsOn = (endpoints: EmulatorEndpoints) => {
  const clients = createLocalAwsClients(endpoints);
  return { clients, stop: () => destroyLocalAwsClients(clients) };
};

/**
 * The bucket's notifications Terraform configures: `.csv` keys and batch manifests
 * (`<batch>/_manifest.json`) under the prefix, to the ingest queue.
 */
const ingestNotifications = (
  resources: LocalResources,
  settings: PipelineSettings,
): Omit<S3QueueNotification, 'bucket'>[] => [
  {
    queueUrl: resources.queues.ingest.url,
    prefix: settings.inputPrefix,
    suffix: '.csv',
    configurationId: INGEST_NOTIFICATION_ID,
  },
  {
    queueUrl: resources.queues.ingest.url,
    prefix: settings.inputPrefix,
    suffix: '/_manifest.json',
    configurationId: MANIFEST_NOTIFICATION_ID,
  },
];

/**
 * Starts Tally on the emulators, as parts composed in pipeline order: the emulators; the
 * resources pipeline.json describes; the S3 notification proxy (bucket → ingest queue, which
 * also sends S3's `s3:TestEvent` as AWS does when the notification is configured); a request
 * meter per service; and each function as a Lambda host fed by an SQS event source poller.
 * Reliability tests' faults decorate the parts they concern: event delivery (the proxy),
 * requests (the meters), killed invocations (the hosts).
 *
 * @example
 * const stack = await startLocalStack();
 * await stack.upload('2024-06-01', [{ name: 'customers.csv', path: 'customers.csv' }]);
 * await stack.whenIdle();
 * console.log(await stack.readOutputMessages());
 * await stack.stop();
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const settings = options.settings ?? pipelineSettings;
  const faults = options.faults ?? {};
  ensureLambdaBundles(
    FUNCTION_KEYS.filter((functionKey) => options.bundles?.[functionKey] === undefined),
    options.build,
  );
  const parts = new RunningParts();
  try {
    const emulators = parts.add(await emulatorsFor(options.emulators));
    const setup = parts.add(clientsOn(emulators.endpoints)).clients;
    const resources = await createLocalResources(setup, options.name ?? LOCAL_STACK_NAME, settings);
    const s3 = parts.add(
      await startS3NotificationProxy({
        upstream: emulators.endpoints.s3,
        sqs: setup.sqs,
        ...(faults.deliverEvent && { deliverEvent: faults.deliverEvent }),
      }),
    );
    await s3.configureNotifications(
      resources.bucket.name,
      ingestNotifications(resources, settings),
    );
    const endpoints: EmulatorEndpoints = { ...emulators.endpoints, s3: s3.endpoint };
    const clients = parts.add(clientsOn(endpoints)).clients;
    // Each function reaches each service through a meter of its own, so a run can report what
    // it would cost and which calls each function's IAM role must allow.
    const metered = parts.add(
      await startMeteredEndpoints(endpoints, {
        ...(faults.requests && { faults: faults.requests }),
        resourceClass: resourceRoleOf(resources, settings),
      }),
    );
    const functions = parts.add(
      startLambdaFunctions({
        resources,
        settings,
        endpoints: metered.endpoints,
        sqs: clients.sqs,
        bundles: options.bundles,
        environment: options.environment,
        concurrency: options.concurrency,
        retryDelayMs: options.retryDelayMs,
        log: options.log,
        quiet: options.quiet,
        killAfterMs: faults.invocationTimeoutMs,
        ...(options.onInvocation && { onInvocation: options.onInvocation }),
        ...(options.clockOffsetMs && { clockOffsetMs: options.clockOffsetMs }),
      }),
    );
    const outputQueue = resources.queues.output.url;
    return {
      endpoints,
      resources,
      clients,
      upload: (batchId, files, onProgress) =>
        uploadBatchFiles(
          { s3: clients.s3, bucket: resources.bucket.name, inputPrefix: settings.inputPrefix },
          batchId,
          files,
          onProgress,
        ),
      readOutputMessages: async () =>
        (await drainQueue(clients.sqs, outputQueue)).map((message) => message.body),
      readOutputMessagesWithAttributes: () => drainQueue(clients.sqs, outputQueue),
      dlqMessageCounts: async () =>
        Object.fromEntries(
          await Promise.all(
            QUEUE_KEYS.map(
              async (key) =>
                [key, await queueMessageCount(clients.sqs, resources.queues[key].dlq.url)] as const,
            ),
          ),
        ) as Record<QueueKey, number>,
      usage: metered.usage,
      functionUsage: () =>
        Object.fromEntries(
          FUNCTION_KEYS.map((functionKey) => [functionKey, metered.usageOf(functionKey)]),
        ) as Record<FunctionKey, AwsUsage>,
      awsOperations: metered.operations,
      functionMetrics: functions.metrics,
      whenIdle: (settleOptions) => waitUntilSettled(functions.isIdle, settleOptions),
      stop: () => parts.stopAll(),
    };
  } catch (error) {
    await parts.stopAll().catch(() => undefined);
    throw error;
  }
};
