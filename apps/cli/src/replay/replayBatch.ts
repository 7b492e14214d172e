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
import { missingTargets, resolveTargets } from '../targets/resolveTargets';
import { targetSourceOf, terraformOutputs } from '../targets/targetSourceOf';
import type { replaySpec } from './replayCommand';
import { exitCodeOf, replayStagedBatch } from './replayStagedBatch';
import type { ReplayOutcome, ReplayRoute } from './replayStagedBatch';

/** The longest a Lambda invocation may run: a direct replay holds the lease as long. */
const DIRECT_LEASE_MS = 15 * 60 * 1000;

const explain = (batchId: string, outcome: ReplayOutcome): string => {
  const batch = JSON.stringify(batchId);
  switch (outcome.status) {
    case 'requested':
      return `sent batch_ready for ${batch} to the aggregation queue; follow it with the saved query "timeline of one batch"`;
    case 'aggregated':
      return `aggregated ${batch}: ${outcome.customerMessages} customer and ${outcome.errorMessages} error message(s) sent`;
    case 'unknown-batch':
      return `no manifest for batch ${batch}: nothing was staged, or it expired (TTL)`;
    case 'incomplete':
      return `batch ${batch} lacks ${outcome.missing.join(', ')}: upload the missing file(s) instead`;
    case 'already-aggregated':
      return `batch ${batch} was aggregated with its current files already; pass --force to do it again`;
    case 'stale':
      return `the files of ${batch} changed while replaying; the newer upload gets aggregated on its own`;
    case 'in-progress':
      return `another aggregation of ${batch} holds the lease (up to the aggregator's timeout after it started); try again later`;
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
            lease: {
              owner: `replay-${randomUUID()}`,
              now: Date.now(),
              durationMs: DIRECT_LEASE_MS,
            },
          };
    io.stderr.write(
      `[replay] batch ${JSON.stringify(options.batch)} in ${tableName}, ${mode === 'queue' ? `via ${queueUrl}` : `directly to ${queueUrl}`}${options.force ? ', forced' : ''}\n`,
    );
    const outcome = await replayStagedBatch(
      { batchId: options.batch, force: options.force },
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
