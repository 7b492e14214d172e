import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startAwsRequestMeter } from './awsRequestMeter';
import type { AwsRequestMeter } from './awsRequestMeter';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localAwsClients';
import { testEmulatorEndpoints, uniqueStackName } from './testing/testEmulatorEndpoints';

const name = uniqueStackName();
const endpoints = testEmulatorEndpoints();
const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
const meters: AwsRequestMeter[] = [];
let queueUrl = '';

const meter = async (upstream: string, options: Parameters<typeof startAwsRequestMeter>[1]) => {
  const started = await startAwsRequestMeter(upstream, options);
  meters.push(started);
  return started;
};

beforeAll(async () => {
  const s3 = new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(new PutObjectCommand({ Bucket: name, Key: 'incoming/a b.csv', Body: 'x\n' }));
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
  ({ QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name })));
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (const client of [s3, sqs, dynamodb]) client.destroy();
});

afterAll(async () => {
  for (const started of meters) await started.stop();
});

describe('startAwsRequestMeter', () => {
  it('records each distinct call once, named by resourceClass, and still counts every request', async () => {
    const started = await meter(endpoints.s3, {
      resourceClass: (call) => call.resource.replace(/\/.*/, '/*'),
    });
    const s3 = new S3Client({ ...common, endpoint: started.endpoint, forcePathStyle: true });
    await s3.send(new GetObjectCommand({ Bucket: name, Key: 'incoming/a b.csv' }));
    await s3.send(new GetObjectCommand({ Bucket: name, Key: 'incoming/a b.csv' }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'incoming/c.csv', Body: 'y\n' }));
    s3.destroy();

    expect(started.calls()).toEqual([
      { service: 's3', operation: 'GetObject', resource: `${name}/*` },
      { service: 's3', operation: 'PutObject', resource: `${name}/*` },
    ]);
    expect(started.usage().requests).toEqual({ 'S3.GET': 2, 'S3.PUT': 1 });
  });

  it('records the queue and the table a JSON request names, sorted by operation', async () => {
    const sqsMeter = await meter(endpoints.sqs, {});
    const dynamodbMeter = await meter(endpoints.dynamodb, {});
    const sqs = new SQSClient({ ...common, endpoint: sqsMeter.endpoint });
    const dynamodb = new DynamoDBClient({ ...common, endpoint: dynamodbMeter.endpoint });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: '1', MessageBody: 'one' }],
      }),
    );
    await dynamodb.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'k' } } }));
    sqs.destroy();
    dynamodb.destroy();

    expect([...sqsMeter.calls(), ...dynamodbMeter.calls()]).toEqual([
      { service: 'sqs', operation: 'SendMessageBatch', resource: name },
      { service: 'dynamodb', operation: 'GetItem', resource: name },
    ]);
  });

  it('records a call a fault hook answers: the caller made it', async () => {
    const started = await meter(endpoints.dynamodb, {
      faults: () => ({
        type: 'respond',
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'throttled',
        }),
      }),
    });
    const dynamodb = new DynamoDBClient({ ...common, endpoint: started.endpoint });
    await expect(
      dynamodb.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'k' } } })),
    ).rejects.toThrow('throttled');
    dynamodb.destroy();

    expect(started.calls()).toEqual([
      { service: 'dynamodb', operation: 'GetItem', resource: name },
    ]);
  });

  it("forwards a delayed request late, and answers with the emulator's response", async () => {
    const started = await meter(endpoints.dynamodb, {
      faults: ({ operation }) =>
        operation === 'DynamoDB.GetItem' ? { type: 'delay', ms: 300 } : undefined,
    });
    const dynamodb = new DynamoDBClient({ ...common, endpoint: started.endpoint });
    const sentAt = performance.now();
    const answer = await dynamodb.send(
      new GetItemCommand({ TableName: name, Key: { pk: { S: 'absent' } } }),
    );
    // A lower bound only: the timer guarantees it, however busy the machine.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(300);
    expect(answer.Item).toBeUndefined();
    expect(answer.$metadata.httpStatusCode).toBe(200);
    dynamodb.destroy();
  });
});
