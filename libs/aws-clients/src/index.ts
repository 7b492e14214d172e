export { AdapterError, IncompleteBatchError } from './AdapterError';
export {
  createAwsClients,
  createDynamoDbClient,
  createS3Client,
  createSqsClient,
} from './createAwsClients';
export type { AwsClients, AwsClientsOptions } from './createAwsClients';
export {
  CHUNK_SHARDS,
  DYNAMODB_MAX_CHUNK_BYTES,
  DynamoStagingStore,
  stagingKeys,
} from './DynamoStagingStore';
export type { DynamoStagingStoreOptions } from './DynamoStagingStore';
export { StagingTableError } from './StagingTableError';
export { QueueSendError } from './QueueSendError';
export { DEFAULT_BACKOFF, backoffDelay, realSleep, retryWithBackoff } from './retryWithBackoff';
export type { AttemptResult, BackoffPolicy, Sleep } from './retryWithBackoff';
export { S3ObjectSource } from './S3ObjectSource';
export { SqsAggregationRequests } from './SqsAggregationRequests';
export { SqsIngestContinuations } from './SqsIngestContinuations';
export { SqsMessageSink } from './SqsMessageSink';
export type { SqsMessageSinkOptions } from './SqsMessageSink';
export { ConfigurationError, readEnvironment } from './readEnvironment';
export type { EnvironmentOf, EnvironmentSpec, EnvironmentVariable } from './readEnvironment';
export { aggregatorEnvironment, ingestEnvironment } from './lambdaEnvironments';
export { annotateBatch, traceInvocation } from './lambda/traceInvocation';
export { sqsBatchHandler } from './lambda/sqsBatchHandler';
export type { LambdaObservability } from './lambda/sqsBatchHandler';
