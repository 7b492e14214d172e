import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createAwsClients, DynamoStagingStore } from '@tally/aws-clients';
import type { CommandRunOf } from '@tally/command-line';
import { writeText } from '@tally/command-line';
import type { QueueKey } from '@tally/local-stack';
import { missingTargets, resolveTargets } from '../targets/resolveTargets';
import { targetSourceOf, terraformOutputs } from '../targets/targetSourceOf';
import { dlqLine, formatBatchStatus } from './formatBatchStatus';
import type { DlqDepths } from './formatBatchStatus';
import { readBatchDescription } from './readBatchDescription';
import { STATUS_EXIT } from './statusCommand';
import type { statusSpec } from './statusCommand';

/** Messages in a queue, visible or in flight (SQS's approximate counts). */
const queueDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

const dlqDepths = async (
  sqs: SQSClient,
  urls: Readonly<Partial<Record<QueueKey, string>>>,
): Promise<DlqDepths> =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(urls).map(
        async ([queue, url]) => [queue, await queueDepth(sqs, url)] as const,
      ),
    ),
  );

/**
 * `tally status <batch>`: reads the batch's state from the staging table and the depth of each
 * DLQ, and prints them (a table, or one JSON object with `--json`).
 *
 * @example
 * process.exitCode = await showBatchStatus({ options, args: { batch: '2024-06-01' }, io });
 */
export const showBatchStatus = async ({
  options,
  args,
  io,
}: CommandRunOf<typeof statusSpec>): Promise<number> => {
  const resolved = resolveTargets(
    targetSourceOf(options, io.env),
    { tableName: options.table },
    {
      env: io.env,
      terraformOutputs,
      readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8'),
    },
  );
  if (!resolved.success) throw new Error(resolved.error);
  const targets = resolved.data;
  const missing = missingTargets(targets, ['table']);
  if (missing !== undefined) throw new Error(missing);

  const clients = createAwsClients({ clientOverrides: targets.clientOverrides });
  try {
    const store = new DynamoStagingStore({
      client: clients.dynamodb,
      tableName: targets.tableName as string,
    });
    const [description, depths] = await Promise.all([
      readBatchDescription(store, args.batch, Date.now()),
      dlqDepths(clients.sqs, targets.dlqUrls),
    ]);
    if (options.json) {
      const view =
        description === undefined ? { batchId: args.batch, phase: 'unknown' } : description;
      await writeText(io.stdout, `${JSON.stringify({ ...view, dlqMessages: depths })}\n`);
    } else if (description === undefined) {
      await writeText(
        io.stdout,
        `batch ${JSON.stringify(args.batch)}: unknown (nothing staged for it in ${targets.tableName}, or it expired)\n${dlqLine(depths)}\n`,
      );
    } else await writeText(io.stdout, formatBatchStatus(description, depths));
    return description === undefined ? STATUS_EXIT.unknown : STATUS_EXIT.shown;
  } finally {
    clients.s3.destroy();
    clients.sqs.destroy();
    clients.dynamodb.destroy();
  }
};
