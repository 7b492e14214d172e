import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { SQSEvent } from 'aws-lambda';
import { Upload } from '@aws-sdk/lib-storage';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { createLocalResources } from './createResources';
import type { LocalResources } from './createResources';
import type { EmulatorEndpoints, Emulators } from './emulators.mjs' with {
  'resolution-mode': 'import',
};
import { ensureLambdaBundles, lambdaBundlePath } from './lambdaBundles';
import { lambdaEnvironment, lambdaFunctionName } from './lambdaEnvironment';
import { startLambdaHost } from './lambdaHost';
import type { LambdaHost } from './lambdaHost';
import { createLocalAwsClients, destroyLocalAwsClients } from './localAwsClients';
import type { LocalAwsClients } from './localAwsClients';
import { FUNCTION_KEYS, pipelineSettings, QUEUE_KEYS } from './pipelineSettings';
import type { FunctionKey, PipelineSettings, QueueKey } from './pipelineSettings';
import { startAwsRequestMeter } from './awsRequestMeter';
import type { AwsRequestMeterOptions, AwsUsage } from './awsRequestMeter';
import { startS3NotificationProxy } from './s3NotificationProxy';
import type { S3NotificationProxyOptions } from './s3NotificationProxy';
import { startSqsEventSourcePoller } from './sqsEventSourcePoller';
import type { SqsEventSourcePoller } from './sqsEventSourcePoller';
import { waitUntilSettled } from './waitUntilSettled';
import type { SettleOptions } from './waitUntilSettled';

/** Default `<name>` of the local stack's resources. */
export const LOCAL_STACK_NAME = 'tally-local';

/** The notification's configuration id, as Terraform names it. */
export const INGEST_NOTIFICATION_ID = 'tally-ingest';

/** Part size for uploads: fauxqs refuses request bodies over 11 MiB. */
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

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
  /** Concurrent invocations per function. Default min(maximumConcurrency, 2). */
  concurrency?: number;
  settings?: PipelineSettings;
  /** Where START/END/REPORT lines and poller errors go. Default: stderr. */
  log?: (line: string) => void;
  /** Drop what the functions print (their logs and metrics). Default false: to stderr. */
  quiet?: boolean;
  /** Fault injection for reliability tests (tools/reliability). Default: none. */
  faults?: LocalStackFaults;
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

/** One message read from the output queue: its body and its message attributes' values. */
export interface OutputMessage {
  body: string;
  attributes: Record<string, string>;
}

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
}

export interface LocalUploadFile {
  /** File name under `<inputPrefix><batchId>/`, e.g. `customers.csv`. */
  name: string;
  /** The content, or `path` to read it from. */
  body?: string | Uint8Array | Readable;
  path?: string;
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
  /** Each function's invocation and error counts and its source queue's message ages so far. */
  functionMetrics(): Record<FunctionKey, FunctionMetrics>;
  /** Resolves when every function's queue is empty and no invocation runs, twice in a row. */
  whenIdle(options?: SettleOptions): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Tally on the emulators: creates the resources pipeline.json describes, the S3
 * notification proxy (bucket → ingest queue, `incoming/` prefix, `.csv` suffix, which also sends
 * S3's `s3:TestEvent` to the ingest queue as AWS does), and for each function a Lambda host running
 * its bundle fed by an SQS event source poller on its source queue.
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
  const name = options.name ?? LOCAL_STACK_NAME;
  ensureLambdaBundles(
    FUNCTION_KEYS.filter((functionKey) => options.bundles?.[functionKey] === undefined),
    options.build,
  );

  // What setup has started so far, stopped in reverse if a later step fails: a caller that
  // gets no stack cannot stop it, and open servers would keep a test run from exiting.
  const startedSoFar: Array<() => unknown> = [];
  const undoSetup = async (): Promise<void> => {
    for (const stop of startedSoFar.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  };
  let ownEmulators: Emulators | undefined;
  try {
    if (!options.emulators) {
      // A dynamic import: fauxqs is ESM-only and this file compiles to CommonJS.
      const { startEmulators } = await import('./emulators.mjs');
      ownEmulators = await startEmulators();
      const started = ownEmulators;
      startedSoFar.push(() => started.stop());
    }
    const emulators = options.emulators ?? ownEmulators?.endpoints;
    if (!emulators) throw new Error('no emulators');

    const setupClients = createLocalAwsClients(emulators);
    startedSoFar.push(() => destroyLocalAwsClients(setupClients));
    const resources = await createLocalResources(setupClients, name, settings);
    const proxy = await startS3NotificationProxy({
      upstream: emulators.s3,
      sqs: setupClients.sqs,
      ...(options.faults?.deliverEvent && { deliverEvent: options.faults.deliverEvent }),
    });
    startedSoFar.push(() => proxy.stop());
    await proxy.configureNotification({
      bucket: resources.bucket.name,
      queueUrl: resources.queues.ingest.url,
      prefix: settings.inputPrefix,
      suffix: '.csv',
      configurationId: INGEST_NOTIFICATION_ID,
    });
    const endpoints: EmulatorEndpoints = { ...emulators, s3: proxy.endpoint };
    const clients = createLocalAwsClients(endpoints);
    startedSoFar.push(() => destroyLocalAwsClients(clients));
    // The functions reach each service through a meter, so a run can report what it would cost.
    const meterOptions = (service: keyof EmulatorEndpoints): AwsRequestMeterOptions => {
      const faults = options.faults?.requests?.[service];
      return faults ? { faults } : {};
    };
    const startMeter = async (service: keyof EmulatorEndpoints) => {
      const meter = await startAwsRequestMeter(endpoints[service], meterOptions(service));
      startedSoFar.push(() => meter.stop());
      return meter;
    };
    const meters = {
      s3: await startMeter('s3'),
      sqs: await startMeter('sqs'),
      dynamodb: await startMeter('dynamodb'),
    };
    const functionEndpoints: EmulatorEndpoints = {
      s3: meters.s3.endpoint,
      sqs: meters.sqs.endpoint,
      dynamodb: meters.dynamodb.endpoint,
    };

    const hosts: LambdaHost[] = [];
    const pollers: SqsEventSourcePoller[] = [];
    const metrics = Object.fromEntries(
      FUNCTION_KEYS.map((key) => [
        key,
        {
          invocations: 0,
          errors: 0,
          timeouts: 0,
          errorTypes: {},
          maxMessageAgeMs: 0,
          maxReceiveCount: 0,
        },
      ]),
    ) as Record<FunctionKey, FunctionMetrics>;
    /** The host as the poller sees it, recording what CloudWatch would. */
    const measured = (
      host: LambdaHost,
      functionMetrics: FunctionMetrics,
    ): Pick<LambdaHost, 'invoke'> => ({
      invoke: async (event) => {
        const receivedAt = Date.now();
        for (const record of (event as SQSEvent).Records) {
          const age = receivedAt - Number(record.attributes.SentTimestamp);
          if (age > functionMetrics.maxMessageAgeMs) functionMetrics.maxMessageAgeMs = age;
          const receives = Number(record.attributes.ApproximateReceiveCount);
          if (receives > functionMetrics.maxReceiveCount)
            functionMetrics.maxReceiveCount = receives;
        }
        const outcome = await host.invoke(event);
        functionMetrics.invocations += 1;
        if (!outcome.success) {
          functionMetrics.errors += 1;
          const { errorType } = outcome.error;
          if (errorType === 'Sandbox.Timedout') functionMetrics.timeouts += 1;
          functionMetrics.errorTypes[errorType] = (functionMetrics.errorTypes[errorType] ?? 0) + 1;
        }
        return outcome;
      },
    });
    // In pipeline order, so one pass over isIdle() sees a message handed from one stage to the next.
    for (const functionKey of FUNCTION_KEYS) {
      const fn = settings.functions[functionKey];
      const concurrency = options.concurrency ?? Math.min(fn.maximumConcurrency, 2);
      const host = startLambdaHost({
        functionName: lambdaFunctionName(functionKey, resources, settings),
        bundlePath: options.bundles?.[functionKey] ?? lambdaBundlePath(functionKey),
        environment: {
          ...lambdaEnvironment(functionKey, resources, functionEndpoints, settings),
          ...options.environment?.[functionKey],
        },
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        concurrency,
        ...(options.log && { log: options.log }),
        ...(options.quiet && { functionOutput: 'ignore' as const }),
        ...(options.faults?.invocationTimeoutMs?.[functionKey] && {
          invocationTimeoutMs: options.faults.invocationTimeoutMs[functionKey],
        }),
      });
      hosts.push(host);
      pollers.push(
        startSqsEventSourcePoller({
          sqs: clients.sqs,
          queue: resources.queues[fn.sourceQueue],
          host: measured(host, metrics[functionKey]),
          batchSize: fn.batchSize,
          concurrency,
          ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
          ...(options.log && { log: options.log }),
        }),
      );
    }

    const queueMessageCount = async (queueUrl: string) => {
      const { Attributes = {} } = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    };

    const readOutputMessagesWithAttributes = async (): Promise<OutputMessage[]> => {
      const messages: OutputMessage[] = [];
      for (;;) {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: resources.queues.output.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) return messages;
        messages.push(
          ...Messages.map((message) => ({
            body: message.Body ?? '',
            attributes: Object.fromEntries(
              Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
                name,
                value.StringValue ?? '',
              ]),
            ),
          })),
        );
        await clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: resources.queues.output.url,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    };

    return {
      endpoints,
      resources,
      clients,
      upload: (batchId, files, onProgress) => {
        const sent = new Map<string, number>();
        return Promise.all(
          files.map(async (file) => {
            const key = `${settings.inputPrefix}${batchId}/${file.name}`;
            const body =
              file.body ?? (file.path !== undefined ? createReadStream(file.path) : undefined);
            if (body === undefined) throw new Error(`${file.name}: give a body or a path`);
            const upload = new Upload({
              client: clients.s3,
              params: { Bucket: resources.bucket.name, Key: key, Body: body },
              partSize: UPLOAD_PART_BYTES,
              queueSize: 4,
            });
            upload.on('httpUploadProgress', ({ loaded = 0 }) => {
              sent.set(key, loaded);
              onProgress?.([...sent.values()].reduce((sum, bytes) => sum + bytes, 0));
            });
            await upload.done();
            return key;
          }),
        );
      },
      readOutputMessages: async () =>
        (await readOutputMessagesWithAttributes()).map((message) => message.body),
      readOutputMessagesWithAttributes,
      dlqMessageCounts: async () => {
        const counts = await Promise.all(
          QUEUE_KEYS.map((key) => queueMessageCount(resources.queues[key].dlq.url)),
        );
        return Object.fromEntries(
          QUEUE_KEYS.map((key, index) => [key, counts[index] ?? 0]),
        ) as Record<QueueKey, number>;
      },
      usage: () => {
        const parts = [meters.s3.usage(), meters.sqs.usage(), meters.dynamodb.usage()];
        return {
          requests: Object.assign({}, ...parts.map((part) => part.requests)) as Record<
            string,
            number
          >,
          dynamodbWriteUnits: parts.reduce((sum, part) => sum + part.dynamodbWriteUnits, 0),
          dynamodbReadUnits: parts.reduce((sum, part) => sum + part.dynamodbReadUnits, 0),
        };
      },
      functionMetrics: () =>
        Object.fromEntries(
          FUNCTION_KEYS.map((key) => [
            key,
            { ...metrics[key], errorTypes: { ...metrics[key].errorTypes } },
          ]),
        ) as Record<FunctionKey, FunctionMetrics>,
      whenIdle: (settleOptions) =>
        waitUntilSettled(async () => {
          for (const poller of pollers) {
            if (!(await poller.isIdle())) return false;
          }
          return true;
        }, settleOptions),
      stop: async () => {
        await Promise.all([
          ...pollers.map((poller) => poller.stop()),
          ...hosts.map((host) => host.stop()),
        ]);
        await Promise.all(Object.values(meters).map((meter) => meter.stop()));
        await proxy.stop();
        destroyLocalAwsClients(clients);
        destroyLocalAwsClients(setupClients);
        await ownEmulators?.stop();
      },
    };
  } catch (error) {
    await undoSetup();
    throw error;
  }
};
