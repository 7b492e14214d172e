import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';

/** Endpoints published by the Jest globalSetup that starts the emulators. */
const endpoint = (name: string): string => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run integration tests through the project's Jest config`);
  return value;
};

const common = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

/** SDK clients on the test emulators, as the adapters get them in production. */
export const emulatorClients = () => {
  const dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...common, endpoint: endpoint('TALLY_TEST_DYNAMODB_ENDPOINT') }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const sqs = new SQSClient({ ...common, endpoint: endpoint('TALLY_TEST_SQS_ENDPOINT') });
  const s3 = new S3Client({
    ...common,
    endpoint: endpoint('TALLY_TEST_S3_ENDPOINT'),
    forcePathStyle: true,
  });
  return { dynamodb, sqs, s3 };
};

/** A unique resource name: tests share the emulators. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export const createStagingTable = async (
  client: DynamoDBDocumentClient,
  name: string,
): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
};

export const createQueue = async (client: SQSClient, name: string): Promise<string> => {
  const response = await client.send(new CreateQueueCommand({ QueueName: name }));
  return response.QueueUrl as string;
};

export const createBucket = async (client: S3Client, name: string): Promise<void> => {
  await client.send(new CreateBucketCommand({ Bucket: name }));
};
