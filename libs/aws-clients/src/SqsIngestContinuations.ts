import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { IngestContinuationMessage, IngestContinuations } from '@tally/domain';
import { QueueSendError } from './QueueSendError';
import { sqsAttributeText, sqsSafeJson } from './sqsSafeText';

/**
 * {@link IngestContinuations} on the ingest queue, the one S3 notifies: one
 * `ingest_continuation` message per call, with the object key and segment also as attributes,
 * so an operator can tell the messages of a dead-letter queue apart without parsing their
 * bodies. The key may hold characters SQS refuses: the body escapes them in JSON, the attribute
 * as `\uXXXX` text.
 *
 * @example
 * await new SqsIngestContinuations(client, queueUrl).continueIngest(message);
 */
export class SqsIngestContinuations implements IngestContinuations {
  public constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  public async continueIngest(message: IngestContinuationMessage): Promise<void> {
    const command = new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: sqsSafeJson(JSON.stringify(message)),
      MessageAttributes: {
        object_key: { DataType: 'String', StringValue: sqsAttributeText(message.key) ?? '-' },
        segment: { DataType: 'Number', StringValue: String(message.segment) },
      },
    });
    try {
      await this.client.send(command);
    } catch (error) {
      throw new QueueSendError('SendMessage', this.queueUrl, { cause: error });
    }
  }
}
