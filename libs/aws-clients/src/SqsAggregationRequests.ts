import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AggregationRequests, BatchReadyMessage } from '@tally/domain';
import { QueueSendError } from './QueueSendError';
import { sqsAttributeText, sqsSafeJson } from './sqsSafeText';

/**
 * {@link AggregationRequests} on the aggregation queue: one `batch_ready` message per request,
 * with the batch id and revision also as attributes, so an operator can tell the messages of a
 * dead-letter queue apart without parsing their bodies.
 *
 * @example
 * await new SqsAggregationRequests(client, queueUrl).requestAggregation(message);
 */
export class SqsAggregationRequests implements AggregationRequests {
  public constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  public async requestAggregation(message: BatchReadyMessage): Promise<void> {
    const command = new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: sqsSafeJson(JSON.stringify(message)),
      MessageAttributes: {
        batch_id: { DataType: 'String', StringValue: sqsAttributeText(message.batch_id) ?? '-' },
        batch_revision: { DataType: 'Number', StringValue: String(message.revision) },
      },
    });
    try {
      await this.client.send(command);
    } catch (error) {
      throw new QueueSendError('SendMessage', this.queueUrl, { cause: error });
    }
  }
}
