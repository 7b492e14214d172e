import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The SDK clients Tally uses. Create them once per Lambda container, outside the handler. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBDocumentClient;
}

export interface AwsClientsOptions {
  /**
   * Path-style S3 URLs (`http://host/bucket/key`), needed by local emulators. Endpoints are not
   * options here: the SDK reads `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` itself.
   */
  readonly s3ForcePathStyle?: boolean;
  /**
   * Wraps each SDK client once created, e.g. `tracer.captureAWSv3Client` so X-Ray records
   * every S3, SQS and DynamoDB call.
   */
  readonly instrument?: <T extends object>(client: T) => T;
  /** Test hook: extra options for every client (e.g. an endpoint, credentials). */
  readonly clientOverrides?: {
    readonly s3?: ConstructorParameters<typeof S3Client>[0];
    readonly sqs?: ConstructorParameters<typeof SQSClient>[0];
    readonly dynamodb?: ConstructorParameters<typeof DynamoDBClient>[0];
  };
}

/**
 * Builds the S3, SQS and DynamoDB document clients.
 *
 * @example
 * const clients = createAwsClients({ s3ForcePathStyle: config.s3ForcePathStyle });
 */
export const createAwsClients = (options: AwsClientsOptions = {}): AwsClients => {
  const instrument = options.instrument ?? (<T>(client: T): T => client);
  return {
    s3: instrument(
      new S3Client({
        forcePathStyle: options.s3ForcePathStyle ?? false,
        // Checksums only where S3 requires them: keeps streaming GETs cheap and works with emulators.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...options.clientOverrides?.s3,
      }),
    ),
    // By default the SDK sends each call to the host in its QueueUrl, ignoring
    // AWS_ENDPOINT_URL_SQS; the client's own endpoint (the regional one in AWS, the configured
    // one locally) is right in both places.
    sqs: instrument(
      new SQSClient({ useQueueUrlAsEndpoint: false, ...options.clientOverrides?.sqs }),
    ),
    dynamodb: DynamoDBDocumentClient.from(
      instrument(new DynamoDBClient({ ...options.clientOverrides?.dynamodb })),
      { marshallOptions: { removeUndefinedValues: true } },
    ),
  };
};
