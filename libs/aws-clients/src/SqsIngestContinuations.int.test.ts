import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { IngestContinuationMessage } from '@tally/domain';
import { validateIngestContinuationMessage } from '@tally/schema';
import { QueueSendError } from './QueueSendError';
import { SqsIngestContinuations } from './SqsIngestContinuations';
import { createQueue, emulatorClients, uniqueName } from './testing/emulatorClients';

const { sqs } = emulatorClients();

const MESSAGE: IngestContinuationMessage = {
  type: 'ingest_continuation',
  bucket: 'tally-local-input',
  key: 'incoming/lot 7 é/items\uffff.csv',
  size: 734_003_200,
  e_tag: '9b2cf535f27731c974343645a3985328',
  sequencer: '0055AED6DCD90281E5',
  version_id: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
  segment: 12,
};

describe('SqsIngestContinuations on fauxqs', () => {
  it('sends one ingest_continuation message, with the object key and segment as attributes', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('ingest'));
    await new SqsIngestContinuations(sqs, queueUrl).continueIngest(MESSAGE);
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(
      received.Messages?.map((message) => ({
        body: validateIngestContinuationMessage(JSON.parse(message.Body ?? '')),
        attributes: message.MessageAttributes,
      })),
    ).toEqual([
      {
        body: { success: true, data: MESSAGE },
        attributes: {
          object_key: { DataType: 'String', StringValue: 'incoming/lot 7 é/items\\uffff.csv' },
          segment: { DataType: 'Number', StringValue: '12' },
        },
      },
    ]);
  });

  it('throws a QueueSendError naming the queue, with the SDK error as its cause', async () => {
    const queueUrl = `${await createQueue(sqs, uniqueName('ingest'))}-missing`;
    const error: unknown = await new SqsIngestContinuations(sqs, queueUrl)
      .continueIngest(MESSAGE)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({
      operation: 'SendMessage',
      queueUrl,
      message: expect.stringContaining(`SQS SendMessage to ${queueUrl} failed: `),
    });
    expect((error as QueueSendError).cause).toBeInstanceOf(Error);
  });
});
