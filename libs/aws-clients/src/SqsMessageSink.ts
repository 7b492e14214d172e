import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageSink, OutboundMessage } from '@tally/domain';
import { IncompleteBatchError } from './AdapterError';
import { QueueSendError } from './QueueSendError';
import { sqsAttributeText, sqsSafeJson } from './sqsSafeText';
import { inConcurrentGroups } from './inConcurrentGroups';
import { DEFAULT_BACKOFF, realSleep, retryWithBackoff } from './retryWithBackoff';
import type { BackoffPolicy, Sleep } from './retryWithBackoff';

/** SendMessageBatch takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;

export interface SqsMessageSinkOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** SendMessageBatch calls in flight at once. */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
}

/** A String attribute, or nothing when the value is empty (SQS refuses empty values). */
const textAttribute = (
  name: string,
  value: string | undefined,
): SendMessageBatchRequestEntry['MessageAttributes'] => {
  const text = value === undefined ? undefined : sqsAttributeText(value);
  return text === undefined ? {} : { [name]: { DataType: 'String', StringValue: text } };
};

/**
 * The message attributes consumers filter and de-duplicate on: `batch_id`, `message_type` and
 * `message_id` always (an error about a key with no batch folder has no batch id, and then no
 * `batch_id` attribute); `batch_revision` (a Number, so a consumer can keep the highest) on an
 * aggregation's messages; `object_key` and `object_version` on ingest's messages about an
 * upload.
 */
const attributesOf = (
  message: OutboundMessage,
): SendMessageBatchRequestEntry['MessageAttributes'] => ({
  ...textAttribute('batch_id', message.batchId),
  message_type: { DataType: 'String', StringValue: message.type },
  message_id: { DataType: 'String', StringValue: message.id },
  ...(message.revision !== undefined && {
    batch_revision: { DataType: 'Number', StringValue: String(message.revision) },
  }),
  ...textAttribute('object_key', message.objectKey),
  ...textAttribute('object_version', message.objectVersion),
});

/**
 * {@link MessageSink} on an SQS queue: SendMessageBatch, 10 entries a call, and only the
 * entries that failed are sent again, with backoff. A partial failure is not an exception in
 * SQS (the call succeeds with `Failed` entries), so each response is checked.
 *
 * @example
 * const sink = new SqsMessageSink({ client: new SQSClient({}), queueUrl });
 * await sink.send(messages);
 */
export class SqsMessageSink implements MessageSink {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly sleep: Sleep;

  public constructor(options: SqsMessageSinkOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.concurrency = options.concurrency ?? 8;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? realSleep;
  }

  public async send(messages: readonly OutboundMessage[]): Promise<void> {
    await inConcurrentGroups(messages, ENTRIES_PER_CALL, this.concurrency, (group) =>
      this.sendGroup(group),
    );
  }

  private async sendGroup(group: readonly OutboundMessage[]): Promise<void> {
    const entries = group.map((message, index) => ({
      Id: String(index),
      MessageBody: sqsSafeJson(message.body),
      MessageAttributes: attributesOf(message),
    }));
    let lastReason = '';
    const unsent = await retryWithBackoff(entries, this.backoff, this.sleep, async (pending) => {
      const command = new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: [...pending],
      });
      const response = await this.client.send(command).catch((error: unknown) => {
        throw new QueueSendError('SendMessageBatch', this.queueUrl, { cause: error });
      });
      // A partial failure is not an exception in SQS: the call succeeds with Failed entries.
      const failures = response.Failed ?? [];
      const failed = new Set(failures.map((entry) => entry.Id));
      if (failures.length > 0)
        lastReason = failures.map((entry) => `${entry.Code}: ${entry.Message}`).join('; ');
      return {
        left: pending.filter((entry) => failed.has(entry.Id)),
        hopeless: failures.some((entry) => entry.SenderFault),
      };
    });
    if (unsent.length > 0) {
      throw new IncompleteBatchError(
        `SendMessageBatch to ${this.queueUrl} left ${unsent.length} message(s) unsent after retries (${lastReason})`,
        unsent.length,
      );
    }
  }
}
