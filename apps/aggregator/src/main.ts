import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import {
  DynamoStagingStore,
  SqsAggregationRequests,
  SqsMessageSink,
  aggregatorEnvironment,
  createDynamoDbClient,
  createSqsClient,
  readEnvironment,
} from '@tally/aws-clients';
import { createAggregatorHandler } from './createAggregatorHandler';

// Cold start: configuration is validated and clients are created once per container.
const config = readEnvironment(aggregatorEnvironment);
// Tracing follows POWERTOOLS_TRACE_ENABLED (off locally, where there is no X-Ray daemon).
const tracer = new Tracer();
const clientOptions = {
  instrument: <T extends object>(client: T): T => tracer.captureAWSv3Client(client),
};

const sqs = createSqsClient(clientOptions);

export const handler = createAggregatorHandler({
  store: new DynamoStagingStore({
    client: createDynamoDbClient(clientOptions),
    tableName: config.TALLY_TABLE_NAME,
  }),
  sink: new SqsMessageSink({ client: sqs, queueUrl: config.TALLY_OUTPUT_QUEUE_URL }),
  requests: new SqsAggregationRequests(sqs, config.TALLY_AGGREGATION_QUEUE_URL),
  settings: {
    maxRowErrors: config.TALLY_MAX_ROW_ERRORS,
    rowsPerPartition: config.TALLY_ROWS_PER_PARTITION,
  },
  logger: new Logger(),
  metrics: new Metrics(),
  tracer,
});
