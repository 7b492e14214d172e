import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DynamoStagingStore,
  SqsAggregationRequests,
  SqsMessageSink,
  createAwsClients,
} from '@tally/aws-clients';
import type { CommandRunOf } from '@tally/command-line';
import { writeText } from '@tally/command-line';
import { pipelineSettings } from '@tally/local-stack';
import { missingTargets, resolveTargets } from '../targets/resolveTargets';
import { targetSourceOf, terraformOutputs } from '../targets/targetSourceOf';
import type { replaySpec } from './replayCommand';
import { exitCodeOf, replayStagedBatch } from './replayStagedBatch';
import type { ReplayOutcome, ReplayRoute } from './replayStagedBatch';

const explain = (batchId: string, outcome: ReplayOutcome): string => {
  const batch = JSON.stringify(batchId);
  switch (outcome.status) {
    case 'requested':
      return `sent batch_ready for revision ${outcome.revision} of ${batch} to the aggregation queue; follow it with the saved query "timeline of one batch"`;
    case 'aggregated':
      return `aggregated revision ${outcome.revision} of ${batch}: ${outcome.customerMessages} customer and ${outcome.errorMessages} error message(s) sent, then its batch_summary`;
    case 'unknown-batch':
      return `no state for batch ${batch}: nothing was staged, or it was forgotten after its retention`;
    case 'incomplete':
      return `batch ${batch} cannot be aggregated as it stands: ${[...outcome.missing.map((missing) => `${missing} missing`), ...outcome.blocked].join('; ')}; upload what it needs instead`;
    case 'already-aggregated':
      return `revision ${outcome.revision} of ${batch} was aggregated already; pass --force to aggregate its files again as a new revision`;
    case 'superseded':
      return `a newer revision of ${batch} appeared while replaying; it gets aggregated on its own`;
    case 'busy':
      return `another aggregation of revision ${outcome.revision} of ${batch} holds the lease (up to the aggregator's timeout after it started); try again later`;
    case 'taken-over':
      return `another request took revision ${outcome.revision} of ${batch} over while replaying`;
    case 'done':
      return `revision ${outcome.revision} of ${batch} was finished by another request meanwhile`;
    case 'unknown':
      return `batch ${batch} has no revision ${outcome.revision}`;
    case 'expired':
      return `the staged rows of ${outcome.files.join(', ')} expired: upload them again`;
  }
};

/**
 * `tally replay`: finds the table and queues, then queues the batch's `batch_ready` message for
 * the deployed aggregator, or aggregates here with `--direct`.
 *
 * @example
 * process.exitCode = await replayBatch({ options, args: {}, io });
 */
export const replayBatch = async ({
  options,
  io,
}: CommandRunOf<typeof replaySpec>): Promise<number> => {
  const mode = options.direct ? 'direct' : 'queue';
  const resolved = resolveTargets(
    targetSourceOf(options, io.env),
    {
      tableName: options.table,
      aggregationQueueUrl: options['aggregation-queue-url'],
      outputQueueUrl: options['output-queue-url'],
    },
    {
      env: io.env,
      terraformOutputs,
      readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8'),
    },
  );
  if (!resolved.success) throw new Error(resolved.error);
  const targets = resolved.data;
  const missing = missingTargets(targets, ['table', mode === 'queue' ? 'aggregation' : 'output']);
  if (missing !== undefined) throw new Error(missing);
  const tableName = targets.tableName as string;
  const queueUrl = targets.queueUrls[mode === 'queue' ? 'aggregation' : 'output'] as string;

  const clients = createAwsClients({ clientOverrides: targets.clientOverrides });
  try {
    const store = new DynamoStagingStore({
      client: clients.dynamodb,
      tableName,
    });
    const route: ReplayRoute =
      mode === 'queue'
        ? { mode, requests: new SqsAggregationRequests(clients.sqs, queueUrl) }
        : {
            mode,
            sink: new SqsMessageSink({ client: clients.sqs, queueUrl }),
            maxRowErrors: pipelineSettings.limits.maxRowErrors,
          };
    io.stderr.write(
      `[replay] batch ${JSON.stringify(options.batch)} in ${tableName}, ${mode === 'queue' ? `via ${queueUrl}` : `directly to ${queueUrl}`}${options.force ? ', forced' : ''}\n`,
    );
    const outcome = await replayStagedBatch(
      { batchId: options.batch, force: options.force, requester: `replay-${randomUUID()}` },
      store,
      route,
    );
    await writeText(
      io.stdout,
      `${options.json ? JSON.stringify({ batch_id: options.batch, ...outcome }) : explain(options.batch, outcome)}\n`,
    );
    return exitCodeOf(outcome);
  } finally {
    clients.s3.destroy();
    clients.sqs.destroy();
    clients.dynamodb.destroy();
  }
};
