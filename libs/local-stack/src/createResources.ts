import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalAwsClients } from './localAwsClients';
import { pipelineSettings, QUEUE_KEYS } from './pipelineSettings';
import type { PipelineSettings, QueueKey } from './pipelineSettings';

export interface LocalQueue {
  name: string;
  /** The URL fauxqs returned. Send SQS calls to the SQS endpoint, passing this as QueueUrl. */
  url: string;
  arn: string;
}

export interface LocalQueueWithDlq extends LocalQueue {
  dlq: LocalQueue;
}

/** Everything createLocalResources made, by the keys pipeline.json uses. */
export interface LocalResources {
  /** The `<name>` prefix of every resource, e.g. `tally-local`. */
  name: string;
  inputPrefix: string;
  bucket: { name: string; arn: string };
  table: { name: string; arn: string };
  queues: Record<QueueKey, LocalQueueWithDlq>;
}

const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<LocalQueue> => {
  const { QueueUrl: url } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { name, url, arn };
};

/**
 * The queue, then its DLQ first so the redrive policy can name it. Terraform also sets a
 * RedriveAllowPolicy (byQueue) on the DLQ; fauxqs rejects that attribute, so it is left out here.
 */
const createQueueWithDlq = async (
  sqs: SQSClient,
  name: string,
  key: QueueKey,
  settings: PipelineSettings,
): Promise<LocalQueueWithDlq> => {
  const queue = settings.queues[key];
  const queueName = `${name}-${queue.suffix}`;
  const dlq = await createQueue(sqs, `${queueName}-${settings.dlqSuffix}`, {
    MessageRetentionPeriod: String(settings.dlqRetentionSeconds),
  });
  const main = await createQueue(sqs, queueName, {
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(queue.retentionSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: queue.maxReceiveCount,
    }),
  });
  return { ...main, dlq };
};

/**
 * Creates the resources Terraform creates, named `<name>-<suffix>` from pipeline.json: the input
 * bucket, the three queues each with a DLQ and redrive policy, and the staging table (pk/sk
 * strings, on-demand). The table's TTL is not enabled: dynalite has no UpdateTimeToLive.
 *
 * @example
 * const resources = await createLocalResources(createLocalAwsClients(endpoints), 'tally-local');
 * resources.queues.ingest.url; // http://127.0.0.1:<port>/000000000000/tally-local-ingest
 */
export const createLocalResources = async (
  clients: LocalAwsClients,
  name: string,
  settings: PipelineSettings = pipelineSettings,
): Promise<LocalResources> => {
  const bucketName = `${name}-${settings.bucketSuffix}`;
  const tableName = `${name}-${settings.table.suffix}`;
  const [, table, ...queues] = await Promise.all([
    clients.s3.send(new CreateBucketCommand({ Bucket: bucketName })),
    clients.dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: settings.table.partitionKey, AttributeType: 'S' },
          { AttributeName: settings.table.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: settings.table.partitionKey, KeyType: 'HASH' },
          { AttributeName: settings.table.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    ),
    ...QUEUE_KEYS.map((key) => createQueueWithDlq(clients.sqs, name, key, settings)),
  ]);
  const tableArn = table.TableDescription?.TableArn;
  if (!tableArn) throw new Error(`CreateTable ${tableName} returned no TableArn`);
  const [ingest, aggregation, output] = queues;
  if (!ingest || !aggregation || !output) throw new Error('a queue was not created');
  return {
    name,
    inputPrefix: settings.inputPrefix,
    bucket: { name: bucketName, arn: `arn:aws:s3:::${bucketName}` },
    table: { name: tableName, arn: tableArn },
    queues: { ingest, aggregation, output },
  };
};
