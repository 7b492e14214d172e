import { FUNCTION_KEYS, pipelineSettings } from '@tally/local-stack';
import type { FunctionKey } from '@tally/local-stack';

/** When the pipeline module grants it: always, with `tracing_mode = "Active"`, or with `kms_key_enabled`. */
export const GRANT_CONDITIONS = ['always', 'activeTracing', 'kmsKey'] as const;
export type GrantCondition = (typeof GRANT_CONDITIONS)[number];

/** A grant a role needs that no run of the local stack can observe, and why. */
export interface DocumentedGrant {
  readonly functions: readonly FunctionKey[];
  readonly actions: readonly string[];
  /** The resource by its role, as the request meters name resources (`queue:output`). */
  readonly resource: (functionKey: FunctionKey) => string;
  readonly when: GrantCondition;
  readonly why: string;
}

const { bucketSuffix, inputPrefix } = pipelineSettings;

/**
 * The grants each role has beyond the calls its code was seen making: what Lambda does with
 * the role on the function's behalf, what the emulators cannot show, and what the module's
 * options add. infra/README.md ("Least privilege") repeats this list for reviewers.
 */
export const DOCUMENTED_GRANTS: readonly DocumentedGrant[] = [
  {
    functions: FUNCTION_KEYS,
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resource: () => 'log-group:own',
    when: 'always',
    why: "Lambda writes the function's output to its log group with the role.",
  },
  {
    functions: FUNCTION_KEYS,
    actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
    resource: (functionKey) => `queue:${pipelineSettings.functions[functionKey].sourceQueue}`,
    when: 'always',
    why: "The event source mapping polls the source queue with the function's role (AWSLambdaSQSQueueExecutionRole has these three; a failed message returns when its visibility ends, without sqs:ChangeMessageVisibility).",
  },
  {
    functions: ['ingest'],
    actions: ['s3:ListBucket'],
    resource: () => `bucket:${bucketSuffix}`,
    when: 'always',
    why: 'Without it S3 answers a read of a deleted key or version with 403 instead of 404, and a vanished upload would look like a denied one.',
  },
  {
    functions: ['ingest'],
    actions: ['s3:GetObjectVersion'],
    resource: () => `bucket:${bucketSuffix}/${inputPrefix}*`,
    when: 'always',
    why: 'The bucket is versioned and its events name the version, which ingest reads (GetObject with VersionId). The local S3 has no versioning, so locally ingest reads with IfMatch on the eTag instead.',
  },
  {
    functions: FUNCTION_KEYS,
    actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    resource: () => '*',
    when: 'activeTracing',
    why: 'Active tracing: Lambda and the Powertools Tracer send segments with the role (X-Ray has no resource-level permissions). The local stack runs without X-Ray.',
  },
  {
    functions: FUNCTION_KEYS,
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    resource: () => 'key:pipeline',
    when: 'kmsKey',
    why: 'With the customer managed key, SQS and DynamoDB use it on behalf of the caller (kms:ViaService); the emulators do not encrypt.',
  },
];
