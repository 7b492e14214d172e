import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { parseBatchReadyMessage } from '@tally/schema';
import { QueueSendError } from './QueueSendError';
import { SqsAggregationRequests } from './SqsAggregationRequests';
import { createQueue, emulatorClients, uniqueName } from './testing/emulatorClients';

const { sqs } = emulatorClients();

describe('SqsAggregationRequests on fauxqs', () => {
  it('sends one batch_ready message, with the batch id and revision as attributes', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('aggregation'));
    const request = {
      type: 'batch_ready',
      batch_id: 'batch é',
      revision: 4,
      lease_owner: 'message-1',
    } as const;
    await new SqsAggregationRequests(sqs, queueUrl).requestAggregation(request);
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(
      received.Messages?.map((message) => ({
        request: parseBatchReadyMessage(message.Body ?? ''),
        attributes: message.MessageAttributes,
      })),
    ).toEqual([
      {
        request: { success: true, data: request },
        attributes: {
          batch_id: { DataType: 'String', StringValue: 'batch é' },
          batch_revision: { DataType: 'Number', StringValue: '4' },
        },
      },
    ]);
  });

  it('throws a QueueSendError naming the queue, with the SDK error as its cause', async () => {
    const queueUrl = `${await createQueue(sqs, uniqueName('aggregation'))}-missing`;
    const sending = new SqsAggregationRequests(sqs, queueUrl).requestAggregation({
      type: 'batch_ready',
      batch_id: 'b1',
      revision: 1,
    });
    const error: unknown = await sending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({
      operation: 'SendMessage',
      queueUrl,
      message: expect.stringContaining(`SQS SendMessage to ${queueUrl} failed: `),
    });
    expect((error as QueueSendError).cause).toBeInstanceOf(Error);
  });
});
