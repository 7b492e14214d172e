import { parseArgs } from 'node:util';

/** Where the replay finds the table and queues, and how its SDK clients reach them. */
export type ReplaySource =
  /** `terraform -chdir=infra/envs/<name> output -json` names them; AWS credentials as usual. */
  | { readonly kind: 'env'; readonly name: string }
  /** The local stack: endpoints from a JSON file or inline JSON (`{"sqs": …, "dynamodb": …}`). */
  | { readonly kind: 'local'; readonly endpoints: string }
  /** Flags and TALLY_* variables; the SDK finds region, credentials and AWS_ENDPOINT_URL_*. */
  | { readonly kind: 'ambient' };

export interface ReplayArguments {
  readonly batchId: string;
  /** `queue`: send `batch_ready` to the aggregation queue; `direct`: aggregate in this process. */
  readonly mode: 'queue' | 'direct';
  /** Replay even if the batch's current files were aggregated already. */
  readonly force: boolean;
  readonly source: ReplaySource;
  /** Explicit names; they win over Terraform outputs and environment variables. */
  readonly tableName?: string;
  readonly aggregationQueueUrl?: string;
  readonly outputQueueUrl?: string;
}

export type ReplayArgumentsParse =
  | { readonly success: true; readonly data: ReplayArguments }
  | { readonly success: true; readonly help: true }
  | { readonly success: false; readonly error: string };

export const REPLAY_USAGE = `Usage: npm run replay -- --batch <id> [--env <env> | --local <endpoints json>] [--direct] [--force]

Re-aggregates a batch from its staged rows (the three current files of its manifest).

  --batch <id>                  the batch to replay (required)
  --env <env>                   read table and queue URLs from \`terraform -chdir=infra/envs/<env> output -json\`
  --local <endpoints json>      the local stack: a JSON file, or inline JSON, {"sqs": "<url>", "dynamodb": "<url>"}
  --direct                      aggregate in this process (DynamoStagingStore + SqsMessageSink) instead of
                                sending batch_ready to the aggregation queue for the deployed aggregator
  --force                       replay even if these files were aggregated already
  --table <name>                staging table              (else TALLY_TABLE_NAME)
  --aggregation-queue-url <url> aggregation queue          (else TALLY_AGGREGATION_QUEUE_URL)
  --output-queue-url <url>      output queue, for --direct (else TALLY_OUTPUT_QUEUE_URL)
  --help                        print this

Exit code: 0 replayed, 2 batch unknown or incomplete, 1 anything else (bad arguments, already
aggregated without --force, another aggregation running, an error).`;

/** Environment directories under infra/envs: a plain name, never a path. */
const ENV_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads the replay CLI's arguments (without `node` and the script).
 *
 * @example
 * parseReplayArguments(['--batch', '2024-06-01', '--env', 'dev']);
 * // { success: true, data: { batchId: '2024-06-01', mode: 'queue', force: false, source: { kind: 'env', name: 'dev' } } }
 */
export const parseReplayArguments = (argv: readonly string[]): ReplayArgumentsParse => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        batch: { type: 'string' },
        env: { type: 'string' },
        local: { type: 'string' },
        direct: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        table: { type: 'string' },
        'aggregation-queue-url': { type: 'string' },
        'output-queue-url': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { success: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { success: true, help: true };
  // Batch ids may hold spaces and any Unicode, so only an empty one is refused.
  if (values.batch === undefined || values.batch === '')
    return { success: false, error: '--batch <id> is required' };
  if (values.env !== undefined && values.local !== undefined)
    return { success: false, error: '--env and --local exclude each other' };
  if (values.env !== undefined && !ENV_NAME.test(values.env))
    return { success: false, error: `--env must name a folder of infra/envs, got "${values.env}"` };

  const source: ReplaySource =
    values.env !== undefined
      ? { kind: 'env', name: values.env }
      : values.local !== undefined
        ? { kind: 'local', endpoints: values.local }
        : { kind: 'ambient' };
  return {
    success: true,
    data: {
      batchId: values.batch,
      mode: values.direct ? 'direct' : 'queue',
      force: values.force,
      source,
      ...(values.table !== undefined && { tableName: values.table }),
      ...(values['aggregation-queue-url'] !== undefined && {
        aggregationQueueUrl: values['aggregation-queue-url'],
      }),
      ...(values['output-queue-url'] !== undefined && {
        outputQueueUrl: values['output-queue-url'],
      }),
    },
  };
};
