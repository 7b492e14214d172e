import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

/** One message read from the output queue: its body and its message attributes' values. */
export interface OutputMessage {
  body: string;
  attributes: Record<string, string>;
  /** When SQS accepted it (its `SentTimestamp`), epoch ms. */
  sentAt: number;
}

/**
 * Drains a queue as a consumer would: receives until it is empty, deletes what it received,
 * and returns the messages in arrival order.
 *
 * @example
 * const messages = await drainQueue(clients.sqs, resources.queues.output.url);
 */
export const drainQueue = async (sqs: SQSClient, queueUrl: string): Promise<OutputMessage[]> => {
  const messages: OutputMessage[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
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
        sentAt: Number(message.Attributes?.SentTimestamp ?? 0),
      })),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
};
