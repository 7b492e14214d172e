// `npm run local`: starts the local stack and keeps it running until Ctrl-C, printing on stderr
// where everything is and how to use it from the AWS CLI or the SDK.
import { startLocalStack } from '@tally/local-stack';

const main = async () => {
  const stack = await startLocalStack();
  const { endpoints, resources } = stack;
  const ingest = resources.queues.ingest;
  process.stderr.write(
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
      `S3's s3:TestEvent was sent to the ingest queue (${ingest.url}) when the notification was configured, as in AWS; ingest has consumed and ignored it.`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local stack\n`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `local stack failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
