import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  DynamoStagingStore,
  SqsMessageSink,
  aggregatorEnvironment,
  createAwsClients,
  readEnvironment,
} from '@tally/aws-clients';
import { createAggregatorHandler } from './createAggregatorHandler';

// Cold start: configuration is validated and clients are created once per container.
const config = readEnvironment(aggregatorEnvironment);
const clients = createAwsClients();

export const handler = createAggregatorHandler({
  store: new DynamoStagingStore({
    client: clients.dynamodb,
    tableName: config.TALLY_TABLE_NAME,
    ttlDays: config.TALLY_STAGING_TTL_DAYS,
  }),
  sink: new SqsMessageSink({ client: clients.sqs, queueUrl: config.TALLY_OUTPUT_QUEUE_URL }),
  logger: new Logger(),
  metrics: new Metrics(),
});
