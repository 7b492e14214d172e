import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { OutboundMessage } from '@tally/domain';
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
  const received: { body: string; attributes: Record<string, string> }[] = [];
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
            value.StringValue as string,
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
      batch_id: 'batch é',
      message_type: 'customer_message',
      message_id: 'id-3',
    });
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
});
