import type { LocalResources } from './createResources';
import { lambdaEnvironment } from './lambdaEnvironment';
import { pipelineSettings } from './pipelineSettings';

const queue = (name: string) => ({
  name,
  url: `http://127.0.0.1:1/000000000000/${name}`,
  arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
});
const resources: LocalResources = {
  name: 'tally-local',
  inputPrefix: 'incoming/',
  bucket: { name: 'tally-local-input', arn: 'arn:aws:s3:::tally-local-input' },
  table: {
    name: 'tally-local-staging',
    arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/tally-local-staging',
  },
  queues: {
    ingest: { ...queue('tally-local-ingest'), dlq: queue('tally-local-ingest-dlq') },
    aggregation: { ...queue('tally-local-aggregation'), dlq: queue('tally-local-aggregation-dlq') },
    output: { ...queue('tally-local-output'), dlq: queue('tally-local-output-dlq') },
  },
};
const endpoints = {
  s3: 'http://127.0.0.1:3',
  sqs: 'http://127.0.0.1:1',
  dynamodb: 'http://127.0.0.1:2',
};

const localOnly = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:3',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2',
  TALLY_S3_FORCE_PATH_STYLE: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  TZ: 'UTC',
};

describe('lambdaEnvironment', () => {
  it('gives ingest its declared variables plus the local ones', () => {
    expect(lambdaEnvironment('ingest', resources, endpoints)).toEqual({
      TALLY_TABLE_NAME: 'tally-local-staging',
      TALLY_OUTPUT_QUEUE_URL: 'http://127.0.0.1:1/000000000000/tally-local-output',
      TALLY_AGGREGATION_QUEUE_URL: 'http://127.0.0.1:1/000000000000/tally-local-aggregation',
      TALLY_INGEST_QUEUE_URL: 'http://127.0.0.1:1/000000000000/tally-local-ingest',
      TALLY_INPUT_PREFIX: 'incoming/',
      TALLY_STAGING_TTL_DAYS: '7',
      TALLY_MAX_OBJECT_BYTES: '53687091200',
      TALLY_MAX_LINE_BYTES: '1048576',
      TALLY_SEGMENT_BYTES: '67108864',
      TALLY_MAX_ROW_ERRORS: '1000',
      POWERTOOLS_SERVICE_NAME: 'ingest',
      POWERTOOLS_METRICS_NAMESPACE: 'Tally',
      ...localOnly,
      AWS_LAMBDA_FUNCTION_NAME: 'tally-local-ingest',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/tally-local-ingest',
    });
  });

  it('gives the aggregator exactly the variables pipeline.json lists for it', () => {
    const environment = lambdaEnvironment('aggregator', resources, endpoints);
    const tallyNames = Object.keys(environment).filter(
      (name) => !(name in localOnly) && !name.startsWith('AWS_LAMBDA_'),
    );
    expect(tallyNames.sort()).toEqual([...pipelineSettings.environment.aggregator].sort());
    expect(environment.POWERTOOLS_SERVICE_NAME).toBe('aggregator');
    expect(environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('2048');
  });

  it('fails on a declared variable it cannot fill', () => {
    const settings = {
      ...pipelineSettings,
      environment: { ...pipelineSettings.environment, ingest: ['TALLY_NEW_THING'] },
    };
    expect(() => lambdaEnvironment('ingest', resources, endpoints, settings)).toThrow(
      'pipeline.json lists TALLY_NEW_THING for ingest, but the local stack has no value for it',
    );
  });
});
