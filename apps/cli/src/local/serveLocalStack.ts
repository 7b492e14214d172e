import type { CommandRunOf } from '@tally/command-line';
import { writeText } from '@tally/command-line';
import { startLocalStack } from '@tally/local-stack';
import type { LocalStack } from '@tally/local-stack';
import { LOCAL_EXIT } from './localCommand';
import type { localSpec } from './localCommand';
import type { LocalStackRecord } from './localStackRecord';
import {
  localStackRecordPath,
  removeLocalStackRecord,
  writeLocalStackRecord,
} from './localStackRecord';

/** Where everything is and how to reach it from the AWS CLI or the SDK, for stderr. */
const guide = ({ endpoints, resources }: LocalStack, recordPath: string): string =>
  [
    '',
    'Tally local stack is running (Ctrl-C stops it).',
    '',
    `  S3        ${endpoints.s3}   (path-style; uploads here raise S3 events)`,
    `  SQS       ${endpoints.sqs}`,
    `  DynamoDB  ${endpoints.dynamodb}`,
    '',
    `  bucket    ${resources.bucket.name}   (prefix ${resources.inputPrefix})`,
    `  table     ${resources.table.name}`,
    ...Object.entries(resources.queues).flatMap(([key, queue]) => [
      `  queue     ${key.padEnd(12)} ${queue.url}`,
      `  dlq       ${key.padEnd(12)} ${queue.dlq.url}`,
    ]),
    '',
    `  record    ${recordPath}   (tally status|tail|replay --local read it)`,
    '',
    'AWS CLI (any credentials work):',
    '  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1',
    `  aws --endpoint-url ${endpoints.s3} s3 cp customers.csv s3://${resources.bucket.name}/${resources.inputPrefix}my-batch/customers.csv`,
    `  aws --endpoint-url ${endpoints.sqs} sqs receive-message --queue-url ${resources.queues.output.url}`,
    `  aws --endpoint-url ${endpoints.dynamodb} dynamodb scan --table-name ${resources.table.name}`,
    '',
    'SDK v3:',
    `  new S3Client({ endpoint: '${endpoints.s3}', forcePathStyle: true, region: 'us-east-1' })`,
    `  new SQSClient({ endpoint: '${endpoints.sqs}', region: 'us-east-1' })  // always pass the endpoint`,
    `  new DynamoDBClient({ endpoint: '${endpoints.dynamodb}', region: 'us-east-1' })`,
    '',
    `S3's s3:TestEvent was sent to the ingest queue (${resources.queues.ingest.url}) when the notification was configured, as in AWS; ingest has consumed and ignored it.`,
    '',
    '',
  ].join('\n');

/** Resolves with the first SIGINT or SIGTERM the process gets. */
const nextStopSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

/**
 * `tally local`: starts the local stack, records where it is (so that `--local` finds it),
 * prints the guide on stderr (and the record on stdout with `--json`), and stops it all on
 * SIGINT or SIGTERM.
 *
 * @example
 * process.exitCode = await serveLocalStack({ options: { 'no-build': false, json: false }, args: {}, io });
 */
export const serveLocalStack = async ({
  options,
  io,
}: CommandRunOf<typeof localSpec>): Promise<number> => {
  const stopped = nextStopSignal();
  const stack = await startLocalStack({
    build: !options['no-build'],
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
  });
  const recordPath = localStackRecordPath(io.env);
  const record: LocalStackRecord = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    endpoints: stack.endpoints,
    resources: stack.resources,
  };
  try {
    writeLocalStackRecord(recordPath, record);
    await writeText(io.stderr, guide(stack, recordPath));
    if (options.json) await writeText(io.stdout, `${JSON.stringify(record)}\n`);
    const signal = await stopped;
    io.stderr.write(`\n${signal}: stopping the local stack\n`);
  } finally {
    removeLocalStackRecord(recordPath, record.pid);
    await stack.stop();
  }
  return LOCAL_EXIT.stopped;
};
