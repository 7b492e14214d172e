import type { AwsClientsOptions } from '@tally/aws-clients';
import { LOCAL_CREDENTIALS, LOCAL_REGION, QUEUE_KEYS } from '@tally/local-stack';
import type { LocalResources, QueueKey } from '@tally/local-stack';
import { readLocalStackRecord } from '../local/localStackRecord';

/** Where a command finds the pipeline's table and queues, and how its SDK clients reach them. */
export type TargetSource =
  /** The running `tally local`, found through its record file. */
  | { readonly kind: 'local-stack'; readonly recordPath: string }
  /** Endpoints as inline JSON or a JSON file: `{"sqs": …, "dynamodb": …}`, or a record. */
  | { readonly kind: 'local'; readonly endpoints: string }
  /** `terraform -chdir=infra/envs/<name> output -json` names them; AWS credentials as usual. */
  | { readonly kind: 'env'; readonly name: string }
  /** Flags and TALLY_* variables; the SDK finds region, credentials and AWS_ENDPOINT_URL_*. */
  | { readonly kind: 'ambient' };

export type ClientOverrides = NonNullable<AwsClientsOptions['clientOverrides']>;

/** The pipeline's resources as far as they are known, and how to reach them. */
export interface PipelineTargets {
  readonly tableName?: string;
  readonly queueUrls: Readonly<Partial<Record<QueueKey, string>>>;
  readonly dlqUrls: Readonly<Partial<Record<QueueKey, string>>>;
  readonly clientOverrides: ClientOverrides;
}

/** Names given as flags: they win over the source and the environment. */
export interface TargetFlags {
  readonly tableName?: string;
  readonly aggregationQueueUrl?: string;
  readonly outputQueueUrl?: string;
}

export type TargetsResolution =
  | { readonly success: true; readonly data: PipelineTargets }
  | { readonly success: false; readonly error: string };

/** What the resolution reads from outside, injected so tests need no Terraform, files or stack. */
export interface TargetsIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout of `terraform -chdir=infra/envs/<name> output -json`. */
  readonly terraformOutputs: (envName: string) => string;
  readonly readFile: (path: string) => string;
  /** Whether the process of a `tally local` record still runs. */
  readonly isRunning?: (pid: number) => boolean;
}

/** The env roots' outputs the commands read (infra/envs/<env>/outputs.tf). */
export interface TerraformTargets {
  readonly region?: string;
  readonly table_name?: string;
  readonly ingest_queue_url?: string;
  readonly aggregation_queue_url?: string;
  readonly output_queue_url?: string;
  readonly dlq_urls?: Partial<Record<QueueKey, string>>;
}

const STRING_OUTPUTS = [
  'region',
  'table_name',
  'ingest_queue_url',
  'aggregation_queue_url',
  'output_queue_url',
] as const;

const valueOf = (outputs: Record<string, unknown>, name: string): unknown => {
  const output = outputs[name];
  return typeof output === 'object' && output !== null
    ? (output as { value?: unknown }).value
    : undefined;
};

/**
 * The outputs of `terraform output -json` (`{ "<name>": { "value": …, … } }`) that the commands
 * need; missing or mistyped ones are left out.
 *
 * @example
 * terraformOutputValues('{"table_name":{"value":"tally-dev-staging","type":"string"}}');
 * // { table_name: 'tally-dev-staging' }
 */
export const terraformOutputValues = (json: string): TerraformTargets => {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) return {};
  const outputs = parsed as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const name of STRING_OUTPUTS) {
    const value = valueOf(outputs, name);
    if (typeof value === 'string') values[name] = value;
  }
  const dlqs = valueOf(outputs, 'dlq_urls');
  if (typeof dlqs === 'object' && dlqs !== null) {
    const urls = Object.fromEntries(
      QUEUE_KEYS.flatMap((key) => {
        const url = (dlqs as Record<string, unknown>)[key];
        return typeof url === 'string' ? [[key, url]] : [];
      }),
    );
    if (Object.keys(urls).length > 0) values['dlq_urls'] = urls;
  }
  return values as TerraformTargets;
};

/** The local stack's SQS and DynamoDB endpoints, and its resources when the JSON names them. */
export interface LocalEndpoints {
  readonly sqs: string;
  readonly dynamodb: string;
  /** Present when the JSON is a `tally local` record (`tally local --json`). */
  readonly resources?: LocalResources;
}

/**
 * Parses `--local <endpoints>`: inline JSON when it starts with `{`, else the path of a JSON
 * file. Either `{"sqs": …, "dynamodb": …}` or a `tally local` record, whose endpoints are under
 * `endpoints` and whose resource names come along.
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
  const object = typeof parsed === 'object' && parsed !== null ? parsed : {};
  const { endpoints, resources } = object as { endpoints?: unknown; resources?: unknown };
  const holder = (
    typeof endpoints === 'object' && endpoints !== null ? endpoints : object
  ) as Record<string, unknown>;
  const endpoint = (service: 'sqs' | 'dynamodb'): string => {
    const value = holder[service];
    if (typeof value !== 'string' || !/^https?:\/\//.test(value))
      throw new TypeError(`--local needs "${service}": an http(s) URL`);
    return value;
  };
  return {
    sqs: endpoint('sqs'),
    dynamodb: endpoint('dynamodb'),
    ...(typeof resources === 'object' && resources !== null
      ? { resources: resources as LocalResources }
      : {}),
  };
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** The names and URLs a local stack's resources give. */
const localTargets = (resources: LocalResources | undefined): TerraformTargets =>
  resources === undefined
    ? {}
    : {
        table_name: resources.table.name,
        ingest_queue_url: resources.queues.ingest.url,
        aggregation_queue_url: resources.queues.aggregation.url,
        output_queue_url: resources.queues.output.url,
        dlq_urls: Object.fromEntries(QUEUE_KEYS.map((key) => [key, resources.queues[key].dlq.url])),
      };

const localClients = (endpoints: { sqs: string; dynamodb: string }): ClientOverrides => {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  return {
    sqs: { ...common, endpoint: endpoints.sqs },
    dynamodb: { ...common, endpoint: endpoints.dynamodb },
  };
};

/** What the source names, and the client settings it implies. */
const fromSource = (
  source: TargetSource,
  io: TargetsIo,
): { outputs: TerraformTargets; clientOverrides: ClientOverrides } => {
  switch (source.kind) {
    case 'local-stack': {
      const record = readLocalStackRecord(source.recordPath, io.isRunning);
      return {
        outputs: localTargets(record.resources),
        clientOverrides: localClients(record.endpoints),
      };
    }
    case 'local': {
      let endpoints: LocalEndpoints;
      try {
        endpoints = localEndpointsOf(source.endpoints, io.readFile);
      } catch (error) {
        throw new Error(`bad --local endpoints: ${messageOf(error)}`, { cause: error });
      }
      return {
        outputs: localTargets(endpoints.resources),
        clientOverrides: localClients(endpoints),
      };
    }
    case 'env': {
      let outputs: TerraformTargets;
      try {
        outputs = terraformOutputValues(io.terraformOutputs(source.name));
      } catch (error) {
        throw new Error(
          `cannot read the outputs of infra/envs/${source.name} (terraform init and apply there first): ${messageOf(error)}`,
          { cause: error },
        );
      }
      const region = outputs.region;
      return {
        outputs,
        clientOverrides: region ? { sqs: { region }, dynamodb: { region } } : {},
      };
    }
    case 'ambient':
      return { outputs: {}, clientOverrides: {} };
  }
};

/**
 * Finds the table and queue URLs: a flag wins, then the source (the running local stack, a
 * `--local` JSON, or the env root's Terraform outputs), then TALLY_TABLE_NAME,
 * TALLY_AGGREGATION_QUEUE_URL and TALLY_OUTPUT_QUEUE_URL. With `--env` the clients use the
 * root's region; with `--local` the local stack's endpoints, region and dummy credentials;
 * otherwise the SDK's own configuration (AWS_REGION, AWS_ENDPOINT_URL_*, profiles).
 *
 * @example
 * resolveTargets({ kind: 'env', name: 'dev' }, {}, { env: process.env, terraformOutputs, readFile });
 */
export const resolveTargets = (
  source: TargetSource,
  flags: TargetFlags,
  io: TargetsIo,
): TargetsResolution => {
  let resolved: ReturnType<typeof fromSource>;
  try {
    resolved = fromSource(source, io);
  } catch (error) {
    return { success: false, error: messageOf(error) };
  }
  const { outputs, clientOverrides } = resolved;
  const tableName = flags.tableName ?? outputs.table_name ?? io.env['TALLY_TABLE_NAME'];
  const aggregation =
    flags.aggregationQueueUrl ??
    outputs.aggregation_queue_url ??
    io.env['TALLY_AGGREGATION_QUEUE_URL'];
  const output =
    flags.outputQueueUrl ?? outputs.output_queue_url ?? io.env['TALLY_OUTPUT_QUEUE_URL'];
  const queueUrls: Partial<Record<QueueKey, string>> = {
    ...(outputs.ingest_queue_url !== undefined && { ingest: outputs.ingest_queue_url }),
    ...(aggregation !== undefined && { aggregation }),
    ...(output !== undefined && { output }),
  };
  return {
    success: true,
    data: {
      ...(tableName !== undefined && { tableName }),
      queueUrls,
      dlqUrls: outputs.dlq_urls ?? {},
      clientOverrides,
    },
  };
};

/** What a command needs of the targets, with the flag and variable that give it. */
const NEEDS = {
  table: ['--table', 'TALLY_TABLE_NAME'],
  aggregation: ['--aggregation-queue-url', 'TALLY_AGGREGATION_QUEUE_URL'],
  output: ['--output-queue-url', 'TALLY_OUTPUT_QUEUE_URL'],
} as const;

/**
 * Names what a command needs but the targets lack, e.g.
 * `missing --table or TALLY_TABLE_NAME, --output-queue-url or TALLY_OUTPUT_QUEUE_URL`, or
 * undefined when nothing is missing.
 */
export const missingTargets = (
  targets: PipelineTargets,
  needs: readonly (keyof typeof NEEDS)[],
): string | undefined => {
  const missing = needs.filter((need) =>
    need === 'table' ? !targets.tableName : !targets.queueUrls[need],
  );
  return missing.length === 0
    ? undefined
    : `missing ${missing.map((need) => `${NEEDS[need][0]} or ${NEEDS[need][1]}`).join(', ')}`;
};
