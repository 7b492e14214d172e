import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };

/** The region every local resource lives in (fauxqs' default, and the one its ARNs name). */
export const LOCAL_REGION = 'us-east-1';

/** Emulators accept any credentials; fixed dummy ones keep real ones from being looked up. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalAwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
}

/**
 * SDK clients pointed at the emulators. S3 uses path-style URLs (`/<bucket>/<key>`), since a
 * bucket subdomain of 127.0.0.1 cannot resolve; the SQS client always gets an explicit endpoint,
 * because without one the SDK sends each call to the host in its QueueUrl.
 *
 * @example
 * const clients = createLocalAwsClients(endpoints);
 * await clients.sqs.send(new ListQueuesCommand({}));
 */
export const createLocalAwsClients = (endpoints: EmulatorEndpoints): LocalAwsClients => {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  return {
    s3: new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true }),
    sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  };
};

/** Closes the clients' sockets so a process can exit. */
export const destroyLocalAwsClients = (clients: LocalAwsClients): void => {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.dynamodb.destroy();
};
