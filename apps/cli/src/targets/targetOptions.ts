import type { StringOption } from '@tally/command-line';

/** `--local` takes the next word as its value only when it is JSON or a .json file. */
const isEndpointsArgument = (word: string): boolean =>
  word.trimStart().startsWith('{') || word.endsWith('.json');

/** `--local[=<endpoints>]` and `--env <env>`: where status, tail and replay find the pipeline. */
export const TARGET_OPTIONS = {
  local: {
    type: 'string',
    valueName: 'endpoints',
    optionalValue: isEndpointsArgument,
    description:
      'the local stack: bare, the one `tally local` runs; or endpoints, inline JSON\nor a .json file: {"sqs": "<url>", "dynamodb": "<url>"}, or what\n`tally local --json` printed',
  },
  env: {
    type: 'string',
    valueName: 'env',
    description: 'a deployment: the outputs of `terraform output -json` in infra/envs/<env>',
  },
} as const satisfies Record<string, StringOption>;

/** What every command with {@link TARGET_OPTIONS} says about them in its help. */
export const TARGET_DETAILS =
  'Without --local or --env, names come from flags and TALLY_TABLE_NAME, TALLY_OUTPUT_QUEUE_URL,\n' +
  'TALLY_AGGREGATION_QUEUE_URL; the AWS SDK finds region, credentials and AWS_ENDPOINT_URL_*.';
