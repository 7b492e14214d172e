import type { LocalResources } from './createResources';
import type { EmulatorEndpoints } from './emulators.mjs' with { 'resolution-mode': 'import' };
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localAwsClients';
import { pipelineSettings } from './pipelineSettings';
import type { FunctionKey, PipelineSettings } from './pipelineSettings';

/** Powertools metrics namespace, the same in every environment. */
export const METRICS_NAMESPACE = 'Tally';

/** The Lambda function's name: `<name>-<function suffix>`, e.g. `tally-local-ingest`. */
export const lambdaFunctionName = (
  functionKey: FunctionKey,
  resources: Pick<LocalResources, 'name'>,
  settings: PipelineSettings = pipelineSettings,
): string => `${resources.name}-${settings.functions[functionKey].suffix}`;

/**
 * The environment of one function running locally: exactly the configuration variables
 * pipeline.json lists under `environment.<function>` (what the handler validates at cold start),
 * plus what Lambda itself sets and what points the SDK at the emulators:
 * - `AWS_ENDPOINT_URL_S3` / `_SQS` / `_DYNAMODB`, the SDK's standard endpoint variables; S3 is
 *   the notification proxy, so objects a function writes raise events as they would on AWS;
 * - `TALLY_S3_FORCE_PATH_STYLE=true`, for the handler's S3 client (bucket subdomains of
 *   127.0.0.1 do not resolve);
 * - `POWERTOOLS_TRACE_ENABLED=false` (there is no X-Ray daemon). POWERTOOLS_DEV stays unset so
 *   logs keep their deployed one-line JSON form.
 *
 * @example
 * const env = lambdaEnvironment('ingest', resources, { s3: proxyEndpoint, sqs, dynamodb });
 * env.TALLY_TABLE_NAME; // 'tally-local-staging'
 */
export const lambdaEnvironment = (
  functionKey: FunctionKey,
  resources: LocalResources,
  endpoints: EmulatorEndpoints,
  settings: PipelineSettings = pipelineSettings,
): Record<string, string> => {
  const configuration: Record<string, string> = {
    TALLY_TABLE_NAME: resources.table.name,
    TALLY_OUTPUT_QUEUE_URL: resources.queues.output.url,
    TALLY_AGGREGATION_QUEUE_URL: resources.queues.aggregation.url,
    TALLY_INGEST_QUEUE_URL: resources.queues.ingest.url,
    TALLY_INPUT_PREFIX: settings.inputPrefix,
    TALLY_STAGING_TTL_DAYS: String(settings.table.ttlDays),
    TALLY_MAX_OBJECT_BYTES: String(settings.limits.maxObjectBytes),
    TALLY_MAX_LINE_BYTES: String(settings.limits.maxLineBytes),
    TALLY_SEGMENT_BYTES: String(settings.limits.segmentBytes),
    TALLY_ROWS_PER_PARTITION: String(settings.limits.rowsPerPartition),
    TALLY_MAX_ROW_ERRORS: String(settings.limits.maxRowErrors),
    POWERTOOLS_SERVICE_NAME: functionKey,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
  const declared: Record<string, string> = {};
  for (const variable of settings.environment[functionKey]) {
    const value = configuration[variable];
    if (value === undefined) {
      throw new Error(
        `pipeline.json lists ${variable} for ${functionKey}, but the local stack has no value for it`,
      );
    }
    declared[variable] = value;
  }
  const functionName = lambdaFunctionName(functionKey, resources, settings);
  return {
    ...declared,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    TALLY_S3_FORCE_PATH_STYLE: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.functions[functionKey].memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    TZ: 'UTC',
  };
};
