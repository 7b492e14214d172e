import type { EnvironmentSpec } from './readEnvironment';

/**
 * The ingest function's environment. The names match `pipeline.json` (`environment.ingest`),
 * which Terraform and the local stack both read; `tools/e2e/configurationDrift.test.ts` keeps the
 * three in step. Endpoints are not here: the SDK reads `AWS_ENDPOINT_URL_<SERVICE>` itself.
 */
export const ingestEnvironment = {
  TALLY_TABLE_NAME: { type: 'string' },
  TALLY_OUTPUT_QUEUE_URL: { type: 'url' },
  TALLY_AGGREGATION_QUEUE_URL: { type: 'url' },
  /** Its own source queue: where it hands the rest of a long file to its next invocation. */
  TALLY_INGEST_QUEUE_URL: { type: 'url' },
  TALLY_INPUT_PREFIX: { type: 'string' },
  TALLY_STAGING_TTL_DAYS: { type: 'integer', min: 1 },
  TALLY_MAX_OBJECT_BYTES: { type: 'integer', min: 1 },
  TALLY_MAX_LINE_BYTES: { type: 'integer', min: 1024 },
  /** At least twice TALLY_MAX_LINE_BYTES (Terraform checks it; ingest refuses a smaller one). */
  TALLY_SEGMENT_BYTES: { type: 'integer', min: 2048 },
  TALLY_MAX_ROW_ERRORS: { type: 'integer', min: 1 },
  POWERTOOLS_SERVICE_NAME: { type: 'string' },
  POWERTOOLS_METRICS_NAMESPACE: { type: 'string' },
  /** Local emulators only: path-style S3 URLs. Absent (false) in AWS. */
  TALLY_S3_FORCE_PATH_STYLE: { type: 'boolean', default: false },
} as const satisfies EnvironmentSpec;

/** The aggregator function's environment; names match `pipeline.json` (`environment.aggregator`). */
export const aggregatorEnvironment = {
  TALLY_TABLE_NAME: { type: 'string' },
  TALLY_OUTPUT_QUEUE_URL: { type: 'url' },
  /** Where the aggregator hands the rest of a long aggregation to its next invocation. */
  TALLY_AGGREGATION_QUEUE_URL: { type: 'url' },
  TALLY_MAX_ROW_ERRORS: { type: 'integer', min: 1 },
  /** Staged rows per partition: a larger revision is aggregated in partitions, side by side. */
  TALLY_ROWS_PER_PARTITION: { type: 'integer', min: 1 },
  POWERTOOLS_SERVICE_NAME: { type: 'string' },
  POWERTOOLS_METRICS_NAMESPACE: { type: 'string' },
} as const satisfies EnvironmentSpec;
