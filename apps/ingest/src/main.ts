import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import {
  DynamoStagingStore,
  S3ObjectSource,
  SqsAggregationRequests,
  SqsIngestContinuations,
  SqsMessageSink,
  createDynamoDbClient,
  createS3Client,
  createSqsClient,
  ingestEnvironment,
  readEnvironment,
} from '@tally/aws-clients';
import { createBatchManifestValidator, createRowValidators } from '@tally/schema';
import { createIngestHandler } from './createIngestHandler';

const DAY_MS = 24 * 60 * 60 * 1000;

// Cold start: configuration is validated and clients are created once per container.
const config = readEnvironment(ingestEnvironment);
// Tracing follows POWERTOOLS_TRACE_ENABLED (off locally, where there is no X-Ray daemon).
const tracer = new Tracer();
const clientOptions = {
  s3ForcePathStyle: config.TALLY_S3_FORCE_PATH_STYLE,
  instrument: <T extends object>(client: T): T => tracer.captureAWSv3Client(client),
};
const sqs = createSqsClient(clientOptions);
const logger = new Logger();
const metrics = new Metrics();

export const handler = createIngestHandler({
  source: new S3ObjectSource(createS3Client(clientOptions)),
  store: new DynamoStagingStore({
    client: createDynamoDbClient(clientOptions),
    tableName: config.TALLY_TABLE_NAME,
  }),
  sink: new SqsMessageSink({ client: sqs, queueUrl: config.TALLY_OUTPUT_QUEUE_URL }),
  aggregation: new SqsAggregationRequests(sqs, config.TALLY_AGGREGATION_QUEUE_URL),
  continuations: new SqsIngestContinuations(sqs, config.TALLY_INGEST_QUEUE_URL),
  validators: createRowValidators(),
  manifestValidator: createBatchManifestValidator(),
  settings: {
    inputPrefix: config.TALLY_INPUT_PREFIX,
    maxObjectBytes: config.TALLY_MAX_OBJECT_BYTES,
    maxLineBytes: config.TALLY_MAX_LINE_BYTES,
    segmentBytes: config.TALLY_SEGMENT_BYTES,
    maxRowErrors: config.TALLY_MAX_ROW_ERRORS,
    stagedRowsTtlMs: config.TALLY_STAGING_TTL_DAYS * DAY_MS,
  },
  logger,
  metrics,
  tracer,
});
