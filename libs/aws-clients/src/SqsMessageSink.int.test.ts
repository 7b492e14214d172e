import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { errorMessageOf, outboundMessageOf } from '@tally/domain';
import type { OutboundMessage } from '@tally/domain';
import { QueueSendError } from './QueueSendError';
import { SqsMessageSink } from './SqsMessageSink';
import { createQueue, emulatorClients, uniqueName } from './testing/emulatorClients';
import { withMiddleware } from './testing/injectMiddleware';

const { sqs } = emulatorClients();
const noWait = async (): Promise<void> => undefined;

const messages = (count: number): OutboundMessage[] =>
  Array.from({ length: count }, (_, n) => ({
    batchId: 'batch é',
    type: 'customer_message' as const,
    id: `id-${n}`,
    body: `{"n":${n}}`,
  }));

const drain = async (queueUrl: string) => {
  const received: {
    body: string;
    attributes: Record<string, { DataType: string; StringValue: string }>;
  }[] = [];
  for (;;) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (!response.Messages?.length) return received;
    for (const message of response.Messages) {
      received.push({
        body: message.Body as string,
        attributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            { DataType: value.DataType as string, StringValue: value.StringValue as string },
          ]),
        ),
      });
    }
  }
};

type Entry = { Id: string };

/** Records the entry count of each SendMessageBatch call, and fails chosen entries of the first. */
const sendRecording =
  (calls: number[], failFirstCallIds: readonly string[]) =>
  async (
    input: Record<string, unknown>,
    send: (input: Record<string, unknown>) => Promise<Record<string, unknown>>,
  ) => {
    const entries = input['Entries'] as Entry[] | undefined;
    if (!entries) return send(input);
    calls.push(entries.length);
    if (calls.length > 1) return send(input);
    const failing = entries.filter((entry) => failFirstCallIds.includes(entry.Id));
    const output = await send({
      ...input,
      Entries: entries.filter((entry) => !failFirstCallIds.includes(entry.Id)),
    });
    return {
      ...output,
      Failed: failing.map((entry) => ({
        Id: entry.Id,
        Code: 'InternalError',
        SenderFault: false,
        Message: 'injected',
      })),
    };
  };

describe('SqsMessageSink on fauxqs', () => {
  it('sends 25 messages in 3 calls with the de-duplication attributes', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('output'));
    const calls: number[] = [];
    await withMiddleware(sqs, sendRecording(calls, []), () =>
      new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait, concurrency: 1 }).send(
        messages(25),
      ),
    );
    expect(calls).toEqual([10, 10, 5]);
    const received = await drain(queueUrl);
    expect(received.map((message) => message.body).sort()).toEqual(
      messages(25)
        .map((message) => message.body)
        .sort(),
    );
    expect(received.find((message) => message.body === '{"n":3}')?.attributes).toEqual({
      batch_id: { DataType: 'String', StringValue: 'batch é' },
      message_type: { DataType: 'String', StringValue: 'customer_message' },
      message_id: { DataType: 'String', StringValue: 'id-3' },
    });
  });

  it('labels an aggregation message with its batch revision, a Number', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('output'));
    const message = outboundMessageOf(
      { batchId: 'batch é', revision: 12 },
      {
        type: 'customer_message',
        customer_reference: 'C1',
        number_of_orders: 2,
        total_amount_spent: 300_000n,
      },
    );
    await new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait }).send([message]);
    expect(await drain(queueUrl)).toEqual([
      {
        body: '{"type":"customer_message","customer_reference":"C1","number_of_orders":2,"total_amount_spent":0.3}',
        attributes: {
          batch_id: { DataType: 'String', StringValue: 'batch é' },
          message_type: { DataType: 'String', StringValue: 'customer_message' },
          message_id: { DataType: 'String', StringValue: message.id },
          batch_revision: { DataType: 'Number', StringValue: '12' },
        },
      },
    ]);
  });

  it('labels an ingest message with the key and version of the upload it is about', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('output'));
    const objectKey = 'incoming/batch é/items 2+&=.csv';
    const message = outboundMessageOf(
      { batchId: 'batch é', objectKey, objectVersion: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' },
      errorMessageOf('batch é', {
        code: 'SECOND_FILE_OF_KIND',
        file: 'items 2+&=.csv',
        message: 'items 2+&=.csv: the batch already has an items file',
      }),
    );
    await new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait }).send([message]);
    expect(await drain(queueUrl)).toEqual([
      {
        body: message.body,
        attributes: {
          batch_id: { DataType: 'String', StringValue: 'batch é' },
          message_type: { DataType: 'String', StringValue: 'error_message' },
          message_id: { DataType: 'String', StringValue: message.id },
          object_key: { DataType: 'String', StringValue: objectKey },
          object_version: {
            DataType: 'String',
            StringValue: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
          },
        },
      },
    ]);
  });

  it('leaves out empty attributes and escapes characters SQS refuses', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('output'));
    await new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait }).send([
      {
        batchId: '',
        type: 'error_message',
        id: 'id-1',
        body: '{}',
        objectKey: 'incoming/\uFFFF.csv',
        objectVersion: '',
      },
    ]);
    expect((await drain(queueUrl)).map((message) => message.attributes)).toEqual([
      {
        message_type: { DataType: 'String', StringValue: 'error_message' },
        message_id: { DataType: 'String', StringValue: 'id-1' },
        object_key: { DataType: 'String', StringValue: 'incoming/\\uffff.csv' },
      },
    ]);
  });

  it('retries only the entries that failed, delivering each message once', async () => {
    const queueUrl = await createQueue(sqs, uniqueName('output'));
    const calls: number[] = [];
    await withMiddleware(sqs, sendRecording(calls, ['2', '7']), () =>
      new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait }).send(messages(10)),
    );
    expect(calls).toEqual([10, 2]);
    const bodies = (await drain(queueUrl)).map((message) => message.body).sort();
    expect(bodies).toEqual(
      messages(10)
        .map((message) => message.body)
        .sort(),
    );
  });

  it('throws a QueueSendError naming the queue when the call itself fails', async () => {
    const queueUrl = `${await createQueue(sqs, uniqueName('output'))}-missing`;
    const sink = new SqsMessageSink({ client: sqs, queueUrl, sleep: noWait });
    const error: unknown = await sink.send(messages(3)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({ operation: 'SendMessageBatch', queueUrl });
    expect((error as QueueSendError).cause).toBeInstanceOf(Error);
  });
});
