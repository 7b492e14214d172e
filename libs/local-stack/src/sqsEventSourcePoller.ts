import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvocationResult, LambdaHost } from './lambdaHost';
import { LOCAL_REGION } from './localAwsClients';
import { sqsEventRecord } from './sqsEventRecord';
import { waitUntilSettled } from './waitUntilSettled';
import type { SettleOptions } from './waitUntilSettled';

export interface SqsEventSourcePollerOptions {
  sqs: SQSClient;
  queue: { url: string; arn: string };
  host: Pick<LambdaHost, 'invoke'>;
  /** Messages per invocation (the mapping's batch size). */
  batchSize: number;
  /** Poll loops, each running one invocation at a time. Default 1. */
  concurrency?: number;
  /**
   * How long a failed message stays invisible before it is received again. Default 1000 ms
   * (rounded up to whole seconds, SQS's unit).
   */
  retryDelayMs?: number;
  /** Long-poll wait per ReceiveMessage. Default 20 s, as Lambda's pollers use. */
  waitTimeSeconds?: number;
  region?: string;
  log?: (line: string) => void;
}

export interface SqsEventSourcePollerStats {
  invocations: number;
  inFlight: number;
  deleted: number;
  returned: number;
}

export interface SqsEventSourcePoller {
  stats(): SqsEventSourcePollerStats;
  /** One observation: no invocation running and nothing in the queue, visible or in flight. */
  isIdle(): Promise<boolean>;
  /** Resolves once isIdle() holds twice in a row. */
  whenIdle(options?: SettleOptions): Promise<void>;
  /** Stops polling and waits for the running invocations to finish. */
  stop(): Promise<void>;
}

/**
 * The message ids to leave in the queue after an invocation, under ReportBatchItemFailures:
 * none when the handler returns nothing, `{}` or an empty `batchItemFailures`; the listed ones
 * otherwise; all of them when the invocation failed (error, timeout) or when an
 * `itemIdentifier` is missing, empty or not a message of the batch, as Lambda does.
 */
export const failedMessageIds = (outcome: InvocationResult, records: SQSRecord[]): Set<string> => {
  const all = new Set(records.map((record) => record.messageId));
  if (!outcome.success) return all;
  const result = outcome.result;
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result))
    return new Set();
  const failures = result.batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null && 'itemIdentifier' in failure
        ? failure.itemIdentifier
        : undefined;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
};

const inBatchesOfTen = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / 10) }, (_, index) =>
    items.slice(index * 10, index * 10 + 10),
  );

/**
 * Feeds a queue to a Lambda host as Lambda's SQS event source mapping does: long-polls up to
 * `batchSize` messages with all attributes, invokes the function with the SQSEvent, then deletes
 * every message not reported in `batchItemFailures`; a thrown error or a timeout fails the whole
 * batch. Failed messages stay in the queue and the queue's redrive policy moves one to its DLQ
 * on the receive after `maxReceiveCount` (fauxqs implements that, as SQS does).
 *
 * Local deviation: AWS lets a failed message become visible again when its visibility timeout
 * (90 minutes for Tally's ingest queue, 30 for its aggregation queue) runs out. Here its visibility is set to `retryDelayMs`, so
 * retries and the move to the DLQ happen in seconds.
 *
 * @example
 * const poller = startSqsEventSourcePoller({ sqs, queue: resources.queues.ingest, host, batchSize: 1 });
 * await poller.whenIdle();
 * await poller.stop();
 */
export const startSqsEventSourcePoller = (
  options: SqsEventSourcePollerOptions,
): SqsEventSourcePoller => {
  const { sqs, queue, host } = options;
  const region = options.region ?? LOCAL_REGION;
  const retryDelaySeconds = Math.ceil((options.retryDelayMs ?? 1000) / 1000);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const abort = new AbortController();
  const stats: SqsEventSourcePollerStats = { invocations: 0, inFlight: 0, deleted: 0, returned: 0 };
  let stopped = false;

  const settle = async (records: SQSRecord[], failed: Set<string>) => {
    const succeeded = records.filter((record) => !failed.has(record.messageId));
    const retried = records.filter((record) => failed.has(record.messageId));
    for (const batch of inBatchesOfTen(succeeded)) {
      const entries = batch.map((record, index) => ({
        Id: String(index),
        ReceiptHandle: record.receiptHandle,
      }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }));
      stats.deleted += batch.length;
    }
    for (const batch of inBatchesOfTen(retried)) {
      const entries = batch.map((record, index) => ({
        Id: String(index),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: retryDelaySeconds,
      }));
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue.url, Entries: entries }),
      );
      stats.returned += batch.length;
    }
  };

  const invokeWith = async (messages: Message[]) => {
    const event: SQSEvent = {
      Records: messages.map((message) => sqsEventRecord(message, queue.arn, region)),
    };
    const outcome = await host.invoke(event);
    stats.invocations += 1;
    await settle(event.Records, failedMessageIds(outcome, event.Records));
  };

  const poll = async () => {
    while (!stopped) {
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 20,
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (stopped) return;
        log(`poller ${queue.arn}: ReceiveMessage failed: ${String(error)}`);
        await sleep(1000);
        continue;
      }
      if (messages.length === 0) continue;
      stats.inFlight += 1;
      try {
        await invokeWith(messages);
      } catch (error) {
        log(`poller ${queue.arn}: settling a batch failed: ${String(error)}`);
      } finally {
        stats.inFlight -= 1;
      }
    }
  };

  const loops = Array.from({ length: options.concurrency ?? 1 }, () => poll());

  const isIdle = async () => {
    if (stats.inFlight > 0) return false;
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const waiting =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    return waiting === 0 && stats.inFlight === 0;
  };

  return {
    stats: () => ({ ...stats }),
    isIdle,
    whenIdle: (settleOptions) => waitUntilSettled(isIdle, settleOptions),
    stop: async () => {
      stopped = true;
      abort.abort();
      await Promise.all(loops);
    },
  };
};
