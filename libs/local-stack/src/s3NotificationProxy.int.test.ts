import { createHash, randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { Upload } from '@aws-sdk/lib-storage';
import {
  createLocalAwsClients,
  destroyLocalAwsClients,
  LOCAL_CREDENTIALS,
} from './localAwsClients';
import { startS3NotificationProxy } from './s3NotificationProxy';
import type { S3NotificationProxy } from './s3NotificationProxy';
import { testEmulatorEndpoints, uniqueStackName } from './testing/testEmulatorEndpoints';

const endpoints = testEmulatorEndpoints();
const clients = createLocalAwsClients(endpoints);
const bucket = `${uniqueStackName()}-input`;
let queueUrl: string;
let proxy: S3NotificationProxy;
let s3: S3Client;

/** Every message now in the queue, deleted as read. */
const drain = async (): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(message.Body ?? '');
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
};

type S3Event = {
  Records: Array<{
    eventName: string;
    s3: { object: { key: string; size: number; eTag: string; sequencer: string } };
  }>;
};
const objectsOf = (bodies: string[]) =>
  bodies.map((body) => (JSON.parse(body) as S3Event).Records[0]!.s3.object);
const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('hex');

beforeAll(async () => {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  ({ QueueUrl: queueUrl = '' } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: `${bucket}-events` }),
  ));
  proxy = await startS3NotificationProxy({ upstream: endpoints.s3, sqs: clients.sqs });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  await proxy.configureNotifications(bucket, [
    { queueUrl, prefix: 'incoming/', suffix: '.csv', configurationId: 'tally-ingest' },
    { queueUrl, prefix: 'incoming/', suffix: '/_manifest.json', configurationId: 'manifests' },
  ]);
});
afterAll(async () => {
  s3.destroy();
  await proxy.stop();
  destroyLocalAwsClients(clients);
});
afterEach(drain);

describe('S3 notification proxy', () => {
  // Runs first: beforeAll configured the notification.
  it('sends s3:TestEvent when a notification is configured', async () => {
    const bodies = await drain();
    expect(bodies.map((body) => JSON.parse(body))).toEqual([
      {
        Service: 'Amazon S3',
        Event: 's3:TestEvent',
        Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        Bucket: bucket,
        RequestId: expect.stringMatching(/^[0-9A-F]{16}$/),
        HostId: expect.any(String),
      },
    ]);
  });

  it('sends the exact ObjectCreated:Put record for a PutObject', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/b1/customers.csv', Body: 'id\n1\n' }),
    );
    const [body] = await drain();
    expect(JSON.parse(body ?? '')).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:000000000000:local' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: {
            'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/),
            'x-amz-id-2': expect.any(String),
          },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'tally-ingest',
            bucket: {
              name: bucket,
              ownerIdentity: { principalId: 'A000000000000LOCAL' },
              arn: `arn:aws:s3:::${bucket}`,
            },
            object: {
              key: 'incoming/b1/customers.csv',
              size: 5,
              eTag: md5('id\n1\n'),
              sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
            },
          },
        },
      ],
    });
  });

  it('form-URL-encodes keys, reports size and ETag, and increases the sequencer', async () => {
    const keys = [
      ['incoming/my batch/customers.csv', 'incoming/my+batch/customers.csv'],
      ['incoming/a+b/orders.csv', 'incoming/a%2Bb/orders.csv'],
      ['incoming/x&y=z/items.csv', 'incoming/x%26y%3Dz/items.csv'],
      ['incoming/café ünï/items.csv', 'incoming/caf%C3%A9+%C3%BCn%C3%AF/items.csv'],
    ];
    for (const [index, [key]] of keys.entries()) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x'.repeat(index + 1) }),
      );
    }
    const objects = objectsOf(await drain());
    expect(objects.map(({ key, size, eTag }) => ({ key, size, eTag }))).toEqual(
      keys.map(([, encoded], index) => ({
        key: encoded,
        size: index + 1,
        eTag: md5('x'.repeat(index + 1)),
      })),
    );
    const sequencers = objects.map((object) => object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });

  it('sends ObjectCreated:Copy for a CopyObject', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'source/customers.csv', Body: 'copied' }),
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'incoming/b 2/customers.csv',
        CopySource: `${bucket}/source/customers.csv`,
      }),
    );
    const bodies = await drain();
    expect(bodies.map((body) => (JSON.parse(body) as S3Event).Records[0]!.eventName)).toEqual([
      'ObjectCreated:Copy',
    ]);
    expect(objectsOf(bodies)[0]).toMatchObject({
      key: 'incoming/b+2/customers.csv',
      size: 6,
      eTag: md5('copied'),
    });
  });

  it('sends one ObjectCreated:CompleteMultipartUpload for a 20 MB upload, none for its parts', async () => {
    const body = randomBytes(20 * 1000 * 1000);
    await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: 'incoming/big/items.csv', Body: body },
      partSize: 8 * 1024 * 1024,
    }).done();
    const bodies = await drain();
    expect(bodies.map((message) => (JSON.parse(message) as S3Event).Records[0]!.eventName)).toEqual(
      ['ObjectCreated:CompleteMultipartUpload'],
    );
    const [object] = objectsOf(bodies);
    expect(object?.size).toBe(20_000_000);
    expect(object?.eTag).toMatch(/^[0-9a-f]{32}-3$/);
  });

  it('notifies a key of the second configuration with that configuration id', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/b1/_manifest.json', Body: '{}' }),
    );
    const [event] = await drain();
    expect(JSON.parse(event ?? '{}')).toMatchObject({
      Records: [
        {
          s3: {
            configurationId: 'manifests',
            object: { key: 'incoming/b1/_manifest.json', size: 2 },
          },
        },
      ],
    });
  });

  it('ignores keys outside the prefix or matching no configuration', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'other/b1/customers.csv', Body: 'x' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/b1/notes.txt', Body: 'x' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/b1/customers.CSV', Body: 'x' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/b1/manifest.json', Body: '{}' }),
    );
    expect(await drain()).toEqual([]);
  });
});
