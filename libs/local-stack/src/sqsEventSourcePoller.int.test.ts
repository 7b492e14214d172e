import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { createLocalResources } from './createResources';
import type { LocalResources } from './createResources';
import { startLambdaHost } from './lambdaHost';
import type { LambdaHost } from './lambdaHost';
import { createLocalAwsClients, destroyLocalAwsClients } from './localAwsClients';
import { pipelineSettings } from './pipelineSettings';
import { startSqsEventSourcePoller } from './sqsEventSourcePoller';
import type { SqsEventSourcePoller } from './sqsEventSourcePoller';
import { testEmulatorEndpoints, uniqueStackName } from './testing/testEmulatorEndpoints';

const clients = createLocalAwsClients(testEmulatorEndpoints());
const directory = mkdtempSync(join(tmpdir(), 'tally-poller-'));
const eventsFile = join(directory, 'events.jsonl');
// maxReceiveCount 2 keeps the DLQ test short; the rest is pipeline.json as is.
const settings = {
  ...pipelineSettings,
  queues: {
    ...pipelineSettings.queues,
    ingest: { ...pipelineSettings.queues.ingest, maxReceiveCount: 2 },
  },
};
let resources: LocalResources;
let host: LambdaHost;
let poller: SqsEventSourcePoller;

const send = (body: unknown, batchSize = 1) => {
  poller ??= startSqsEventSourcePoller({
    sqs: clients.sqs,
    queue: resources.queues.ingest,
    host,
    batchSize,
    retryDelayMs: 0,
  });
  return clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: resources.queues.ingest.url,
      MessageBody: JSON.stringify(body),
    }),
  );
};
const eventsSeen = (): SQSEvent[] =>
  readFileSync(eventsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { event: SQSEvent }).event);
const countIn = async (queueUrl: string) =>
  (
    await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    )
  ).Messages?.length ?? 0;

beforeEach(async () => {
  resources = await createLocalResources(clients, uniqueStackName(), settings);
  host = startLambdaHost({
    functionName: 'tally-test-ingest',
    bundlePath: join(__dirname, 'testing', 'scriptedHandler.cjs'),
    environment: { SCRIPTED_HANDLER_LOG: eventsFile },
    timeoutSeconds: 5,
    memoryMb: 256,
    log: () => undefined,
  });
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined as unknown as SqsEventSourcePoller;
  await host.stop();
  rmSync(eventsFile, { force: true });
});
afterAll(() => {
  destroyLocalAwsClients(clients);
  rmSync(directory, { recursive: true, force: true });
});

describe('startSqsEventSourcePoller', () => {
  it('invokes with Lambda’s SQSEvent and deletes the message when the handler succeeds', async () => {
    const { MessageId, MD5OfMessageBody } = await send({ hello: 'world' });
    await poller.whenIdle({ timeoutMs: 10_000 });
    const [event] = eventsSeen();
    expect(event).toEqual({
      Records: [
        {
          messageId: MessageId,
          receiptHandle: expect.any(String),
          body: '{"hello":"world"}',
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: expect.stringMatching(/^\d{13}$/),
            SenderId: '000000000000',
            ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
          },
          messageAttributes: {},
          md5OfBody: MD5OfMessageBody,
          eventSource: 'aws:sqs',
          eventSourceARN: resources.queues.ingest.arn,
          awsRegion: 'us-east-1',
        },
      ],
    });
    expect(poller.stats()).toEqual({ invocations: 1, inFlight: 0, deleted: 1, returned: 0 });
    expect(await countIn(resources.queues.ingest.url)).toBe(0);
  });

  it('passes message attributes in Lambda’s shape', async () => {
    poller = startSqsEventSourcePoller({
      sqs: clients.sqs,
      queue: resources.queues.ingest,
      host,
      batchSize: 1,
      retryDelayMs: 0,
    });
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.queues.ingest.url,
        MessageBody: '{}',
        MessageAttributes: { batchId: { DataType: 'String', StringValue: 'b 1' } },
      }),
    );
    await poller.whenIdle({ timeoutMs: 10_000 });
    expect(eventsSeen()[0]?.Records[0]?.messageAttributes).toEqual({
      batchId: {
        stringValue: 'b 1',
        stringListValues: [],
        binaryListValues: [],
        dataType: 'String',
      },
    });
  });

  it('deletes the successful records of a batch and returns the reported failures', async () => {
    poller = startSqsEventSourcePoller({
      sqs: clients.sqs,
      queue: resources.queues.ingest,
      host,
      batchSize: 10,
      retryDelayMs: 0,
    });
    await poller.stop(); // send both before the first receive, so they arrive in one batch
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.queues.ingest.url,
        MessageBody: '{"fail":true}',
      }),
    );
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: resources.queues.ingest.url, MessageBody: '{"ok":true}' }),
    );
    poller = startSqsEventSourcePoller({
      sqs: clients.sqs,
      queue: resources.queues.ingest,
      host,
      batchSize: 10,
      retryDelayMs: 0,
    });
    await poller.whenIdle({ timeoutMs: 10_000 });
    const events = eventsSeen();
    expect(events[0]?.Records.map((record) => record.body)).toEqual([
      '{"fail":true}',
      '{"ok":true}',
    ]);
    // The failed one comes back (received twice in all), then goes to the DLQ.
    expect(
      events
        .slice(1)
        .map((event) =>
          event.Records.map((record) => [record.body, record.attributes.ApproximateReceiveCount]),
        ),
    ).toEqual([[['{"fail":true}', '2']]]);
    expect(poller.stats()).toEqual({ invocations: 2, inFlight: 0, deleted: 1, returned: 2 });
    expect(await countIn(resources.queues.ingest.dlq.url)).toBe(1);
  });

  it('fails the whole batch when the handler throws, and moves it to the DLQ after maxReceiveCount', async () => {
    await send({ throw: 'boom' });
    await poller.whenIdle({ timeoutMs: 10_000 });
    expect(
      eventsSeen().map((event) => event.Records[0]?.attributes.ApproximateReceiveCount),
    ).toEqual(['1', '2']);
    expect(poller.stats()).toMatchObject({ invocations: 2, deleted: 0, returned: 2 });
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.dlq.url }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['{"throw":"boom"}']);
    expect(await countIn(resources.queues.ingest.url)).toBe(0);
  });
});
