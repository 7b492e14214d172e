import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createLocalResources } from './createResources';
import type { LocalResources } from './createResources';
import { createLocalAwsClients, destroyLocalAwsClients } from './localAwsClients';
import { testEmulatorEndpoints, uniqueStackName } from './testing/testEmulatorEndpoints';

const clients = createLocalAwsClients(testEmulatorEndpoints());
const name = uniqueStackName();
let resources: LocalResources;

beforeAll(async () => {
  resources = await createLocalResources(clients, name);
});
afterAll(() => destroyLocalAwsClients(clients));

const attributesOf = async (queueUrl: string) =>
  (
    await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    )
  ).Attributes ?? {};

describe('createLocalResources', () => {
  it('names every resource <name>-<suffix> and returns loopback queue URLs', () => {
    expect(resources.bucket).toEqual({ name: `${name}-input`, arn: `arn:aws:s3:::${name}-input` });
    expect(resources.table.name).toBe(`${name}-staging`);
    expect(resources.inputPrefix).toBe('incoming/');
    expect(resources.queues.output).toEqual({
      name: `${name}-output`,
      url: `${testEmulatorEndpoints().sqs}/000000000000/${name}-output`,
      arn: `arn:aws:sqs:us-east-1:000000000000:${name}-output`,
      dlq: {
        name: `${name}-output-dlq`,
        url: `${testEmulatorEndpoints().sqs}/000000000000/${name}-output-dlq`,
        arn: `arn:aws:sqs:us-east-1:000000000000:${name}-output-dlq`,
      },
    });
  });

  it.each([
    ['ingest', '5400', '345600', 5],
    ['aggregation', '1800', '345600', 5],
    ['output', '30', '604800', 10],
  ] as const)(
    'creates the %s queue with its settings and a redrive policy to its DLQ',
    async (key, visibility, retention, maxReceiveCount) => {
      const queue = resources.queues[key];
      const attributes = await attributesOf(queue.url);
      expect(attributes.VisibilityTimeout).toBe(visibility);
      expect(attributes.MessageRetentionPeriod).toBe(retention);
      expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: queue.dlq.arn,
        maxReceiveCount,
      });
      const dlqAttributes = await attributesOf(queue.dlq.url);
      expect(dlqAttributes.MessageRetentionPeriod).toBe('1209600');
      expect(dlqAttributes.RedrivePolicy).toBeUndefined();
    },
  );

  it('creates the staging table with pk/sk strings, billed per request', async () => {
    const { Table } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: `${name}-staging` }),
    );
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(resources.table.arn).toBe(Table?.TableArn);
  });

  it('creates the input bucket', async () => {
    await expect(
      clients.s3.send(new HeadBucketCommand({ Bucket: `${name}-input` })),
    ).resolves.toBeDefined();
  });
});
