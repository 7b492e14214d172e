import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startAwsRequestMeter, LOCAL_CREDENTIALS, LOCAL_REGION } from '@tally/local-stack';
import type { AwsRequestMeter, RequestFault } from '@tally/local-stack';
import { testEmulatorEndpoints, uniqueStackName } from '@tally/local-stack/testing';
import { AWS_ERRORS } from './awsFaultResponses';

/**
 * The injected faults are what the AWS SDK really meets: it names each error as AWS does,
 * retries it on its own (3 attempts), and cannot retry an object body cut off mid-way.
 */
const name = uniqueStackName();
const endpoints = testEmulatorEndpoints();
const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
let planned: (RequestFault | undefined)[] = [];
const meters: AwsRequestMeter[] = [];
let queueUrl = '';

const meter = async (upstream: string) => {
  const started = await startAwsRequestMeter(upstream, { faults: () => planned.shift() });
  meters.push(started);
  return started.endpoint;
};

/** Clients through fault-injecting meters; `maxAttempts: 1` shows the error the SDK would retry. */
const clients = async (maxAttempts?: number) => {
  const retries = maxAttempts === undefined ? {} : { maxAttempts };
  return {
    dynamodb: new DynamoDBClient({
      ...common,
      ...retries,
      endpoint: await meter(endpoints.dynamodb),
    }),
    sqs: new SQSClient({ ...common, ...retries, endpoint: await meter(endpoints.sqs) }),
    s3: new S3Client({
      ...common,
      ...retries,
      endpoint: await meter(endpoints.s3),
      forcePathStyle: true,
    }),
  };
};

beforeAll(async () => {
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
  const s3 = new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x'.repeat(100_000) }));
  [dynamodb, sqs, s3].forEach((client) => client.destroy());
});
afterAll(async () => {
  await Promise.all(meters.map((started) => started.stop()));
});
afterEach(() => {
  planned = [];
});

const getItem = (client: DynamoDBClient) =>
  client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'x' } } }));
const sendMessage = (client: SQSClient) =>
  client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
const readObject = async (client: S3Client) => {
  const response = await client.send(new GetObjectCommand({ Bucket: name, Key: 'k' }));
  return (await response.Body?.transformToString())?.length;
};

describe('injected AWS faults', () => {
  it.each([
    [
      'dynamodb',
      'ProvisionedThroughputExceededException',
      AWS_ERRORS.dynamodb.provisionedThroughputExceeded(),
    ],
    ['dynamodb', 'ThrottlingException', AWS_ERRORS.dynamodb.throttling()],
    ['dynamodb', 'InternalServerError', AWS_ERRORS.dynamodb.internalServerError()],
    ['sqs', 'InternalError', AWS_ERRORS.sqs.internalError()],
    ['sqs', 'ThrottlingException', AWS_ERRORS.sqs.throttling()],
    ['s3', 'SlowDown', AWS_ERRORS.s3.slowDown()],
    ['s3', 'InternalError', AWS_ERRORS.s3.internalError()],
  ] as const)(
    '%s %s: named as AWS names it, and retried by the SDK',
    async (service, errorName, fault) => {
      const once = await clients(1);
      const call = {
        dynamodb: () => getItem(once.dynamodb),
        sqs: () => sendMessage(once.sqs),
        s3: () => readObject(once.s3),
      }[service];
      planned = [fault];
      await expect(call()).rejects.toMatchObject({ name: errorName });

      const retrying = await clients();
      planned = [fault];
      const retried = {
        dynamodb: () => getItem(retrying.dynamodb),
        sqs: () => sendMessage(retrying.sqs),
        s3: () => readObject(retrying.s3),
      }[service];
      await expect(retried()).resolves.toBeDefined();
    },
  );

  it('drops a connection mid-response: JSON calls are retried, an object body is not', async () => {
    const retrying = await clients();
    planned = [{ type: 'reset', afterFraction: 0.5 }];
    await expect(getItem(retrying.dynamodb)).resolves.toBeDefined();
    planned = [{ type: 'reset', afterFraction: 0.5 }];
    await expect(readObject(retrying.s3)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('forwards a duplicated request twice and answers once', async () => {
    const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
    const count = async () =>
      Number(
        (
          await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queueUrl,
              AttributeNames: ['ApproximateNumberOfMessages'],
            }),
          )
        ).Attributes?.ApproximateNumberOfMessages,
      );
    const before = await count();
    planned = [{ type: 'duplicate' }];
    await sendMessage((await clients()).sqs);
    expect((await count()) - before).toBe(2);
    sqs.destroy();
  });
});
