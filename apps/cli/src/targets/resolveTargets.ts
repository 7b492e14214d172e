import type { AwsClientsOptions } from '@tally/aws-clients';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@tally/local-stack';
import type { ReplayArguments } from './parseReplayArguments';

/** The table and queues a replay uses, and how its SDK clients reach them. */
export interface ReplayTargets {
  readonly tableName: string;
  /** The aggregation queue in queue mode, the output queue in direct mode. */
  readonly queueUrl: string;
  readonly clientOverrides: NonNullable<AwsClientsOptions['clientOverrides']>;
}

export type ReplayTargetsResolution =
  | { readonly success: true; readonly data: ReplayTargets }
  | { readonly success: false; readonly error: string };

/** What the resolution reads from outside, injected so tests need no Terraform or files. */
export interface ReplayTargetsIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout of `terraform -chdir=infra/envs/<name> output -json`. */
  readonly terraformOutputs: (envName: string) => string;
  readonly readFile: (path: string) => string;
}

/** The env roots' outputs a replay reads (infra/envs/<env>/outputs.tf). */
const OUTPUT_NAMES = ['table_name', 'aggregation_queue_url', 'output_queue_url', 'region'] as const;
type OutputName = (typeof OUTPUT_NAMES)[number];

/**
 * The string outputs of `terraform output -json` (`{ "<name>": { "value": …, … } }`) that a
 * replay needs; missing or non-string ones are left out.
 *
 * @example
 * terraformOutputValues('{"table_name":{"value":"tally-dev-staging","type":"string"}}');
 * // { table_name: 'tally-dev-staging' }
 */
export const terraformOutputValues = (json: string): Partial<Record<OutputName, string>> => {
  const parsed: unknown = JSON.parse(json);
  const values: Partial<Record<OutputName, string>> = {};
  if (typeof parsed !== 'object' || parsed === null) return values;
  for (const name of OUTPUT_NAMES) {
    const output: unknown = (parsed as Record<string, unknown>)[name];
    const value =
      typeof output === 'object' && output !== null
        ? (output as { value?: unknown }).value
        : undefined;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
};

/** The local stack's SQS and DynamoDB endpoints (any other key, such as `s3`, is ignored). */
export interface LocalEndpoints {
  readonly sqs: string;
  readonly dynamodb: string;
}

/**
 * Parses `--local`: inline JSON when it starts with `{`, else the path of a JSON file.
 *
 * @example
 * localEndpointsOf('{"sqs":"http://127.0.0.1:4566","dynamodb":"http://127.0.0.1:4567"}', readFile);
 */
export const localEndpointsOf = (
  argument: string,
  readFile: (path: string) => string,
): LocalEndpoints => {
  const text = argument.trimStart().startsWith('{') ? argument : readFile(argument);
  const parsed: unknown = JSON.parse(text);
  const endpoint = (service: 'sqs' | 'dynamodb'): string => {
    const value =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)[service]
        : undefined;
    if (typeof value !== 'string' || !/^https?:\/\//.test(value))
      throw new TypeError(`--local needs "${service}": an http(s) URL`);
    return value;
  };
  return { sqs: endpoint('sqs'), dynamodb: endpoint('dynamodb') };
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Finds the table and queue URLs: a flag wins, then (with `--env`) the env root's Terraform
 * outputs, then TALLY_TABLE_NAME, TALLY_AGGREGATION_QUEUE_URL and TALLY_OUTPUT_QUEUE_URL.
 * With `--env` the clients use the root's region; with `--local` the local stack's endpoints,
 * region and dummy credentials; otherwise the SDK's own configuration (AWS_REGION,
 * AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB, profiles).
 *
 * @example
 * resolveReplayTargets(args, { env: process.env, terraformOutputs, readFile });
 */
export const resolveReplayTargets = (
  args: ReplayArguments,
  io: ReplayTargetsIo,
): ReplayTargetsResolution => {
  let outputs: Partial<Record<OutputName, string>> = {};
  let clientOverrides: ReplayTargets['clientOverrides'] = {};
  const { source } = args;
  if (source.kind === 'env') {
    try {
      outputs = terraformOutputValues(io.terraformOutputs(source.name));
    } catch (error) {
      return {
        success: false,
        error: `cannot read the outputs of infra/envs/${source.name} (terraform init and apply there first): ${messageOf(error)}`,
      };
    }
    if (outputs.region)
      clientOverrides = { sqs: { region: outputs.region }, dynamodb: { region: outputs.region } };
  } else if (source.kind === 'local') {
    let endpoints: LocalEndpoints;
    try {
      endpoints = localEndpointsOf(source.endpoints, io.readFile);
    } catch (error) {
      return { success: false, error: `bad --local endpoints: ${messageOf(error)}` };
    }
    const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    clientOverrides = {
      sqs: { ...common, endpoint: endpoints.sqs },
      dynamodb: { ...common, endpoint: endpoints.dynamodb },
    };
  }

  const tableName = args.tableName ?? outputs.table_name ?? io.env['TALLY_TABLE_NAME'];
  const aggregationQueueUrl =
    args.aggregationQueueUrl ??
    outputs.aggregation_queue_url ??
    io.env['TALLY_AGGREGATION_QUEUE_URL'];
  const outputQueueUrl =
    args.outputQueueUrl ?? outputs.output_queue_url ?? io.env['TALLY_OUTPUT_QUEUE_URL'];

  const queueUrl = args.mode === 'queue' ? aggregationQueueUrl : outputQueueUrl;
  const missing = [
    !tableName && '--table or TALLY_TABLE_NAME',
    !queueUrl &&
      (args.mode === 'queue'
        ? '--aggregation-queue-url or TALLY_AGGREGATION_QUEUE_URL'
        : '--output-queue-url or TALLY_OUTPUT_QUEUE_URL'),
  ].filter((entry): entry is string => typeof entry === 'string');
  if (!tableName || !queueUrl) return { success: false, error: `missing ${missing.join(', ')}` };
  return { success: true, data: { tableName, queueUrl, clientOverrides } };
};
